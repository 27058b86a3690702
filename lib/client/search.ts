/** Marks around the matched words in a search snippet (private-use characters nobody types). */
export const HIGHLIGHT_START = "\uE000";
export const HIGHLIGHT_END = "\uE001";
