// @ts-check
/// <reference lib="dom" />
/**
 * Today's schedule for a big screen: rooms, the running and coming slots, and the current topics.
 *
 * @module
 */
import { start } from "./common.js";

start("signage");
