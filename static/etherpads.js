// Each track with its etherpad: its own, or the one named after the event and track.
import { start } from "./common.js";

start("etherpads");
