// Today's schedule for a big screen: rooms, the running and coming slots, and the current topics.
import { start } from "./common.js";

start("signage");
