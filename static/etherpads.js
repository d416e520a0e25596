// @ts-check
/// <reference lib="dom" />
/**
 * Each track with its etherpad: its own, or the one named after the event and track.
 *
 * @module
 */
import { start } from "./common.js";

start("etherpads");
