// The event's useful links (the state's `links`).
import { start } from "./common.js";

start("links");
