/** Checks shared by the command engine and the JSON import. */
import { LIMITS } from "./limits.ts";

const TRACK_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** A track name: lower-case letters, digits, `-` and `_`, as written after `#`. */
export function isTrackName(name: string): boolean {
  return name.length <= LIMITS.trackName && TRACK_NAME.test(name);
}

/** An absolute http(s) URL without credentials or control characters. */
export function isWebUrl(text: string): boolean {
  if (text.length > LIMITS.url || /[\s\u0000-\u001f\u007f]/.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "" &&
    url.username === "" && url.password === "";
}

// CSS Color Module 4 named colours.
const NAMED_COLORS = new Set(
  ("aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue " +
    "blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk " +
    "crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki " +
    "darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen " +
    "darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue " +
    "dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite " +
    "gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki " +
    "lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan " +
    "lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen " +
    "lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen " +
    "magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen " +
    "mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream " +
    "mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid " +
    "palegoldenrod palegreen paleturquoise palevioletred papayawhip peru pink plum powderblue " +
    "purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen " +
    "seashell sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan " +
    "teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen")
    .split(" "),
);

const HEX_COLOR = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/;
const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:%|deg|turn|rad|grad)?`;
const FUNC_COLOR = new RegExp(
  String.raw`^(?:rgba?|hsla?|hwb)\(\s*${NUMBER}(?:\s*,?\s*${NUMBER}){2}(?:\s*[,/]\s*${NUMBER})?\s*\)$`,
);

/** A CSS colour: a named colour, `#hex`, or rgb()/hsl()/hwb() with plain numbers. */
export function isCssColor(text: string): boolean {
  if (text.length > LIMITS.color) return false;
  const c = text.trim().toLowerCase();
  return NAMED_COLORS.has(c) || HEX_COLOR.test(c) || FUNC_COLOR.test(c);
}

/** True when the text holds no control characters (IRC formatting, CR, LF, NUL). */
export function isPlainText(text: string): boolean {
  return !/[\u0000-\u001f\u007f]/.test(text);
}
