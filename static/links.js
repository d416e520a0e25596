// @ts-check
/// <reference lib="dom" />
/**
 * The event's useful links (the state's `links`).
 *
 * @module
 */
import { start } from "./common.js";

start("links");
