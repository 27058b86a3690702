import { describe, expect, it } from "vitest";
import { mentionPattern } from "./mentions";

const split = (text: string, names: string[]) => text.split(mentionPattern(names)!);

describe("mentions drawn in a note", () => {
  it("a mention is the whole name, lower-case words and all, whatever the case typed", () => {
    expect(split("@Bo mxa3xiuh courier says Tuesday; cc @ada admin.", ["Bo", "Bo mxa3xiuh", "Ada Admin"])).toEqual([
      "",
      "@Bo mxa3xiuh",
      " courier says Tuesday; cc ",
      "@ada admin",
      ".",
    ]);
  });

  it("a name with a particle is one mention", () => {
    expect(split("ask @Vincent van Gogh", ["Vincent van Gogh", "Vincent"])).toEqual(["ask ", "@Vincent van Gogh", ""]);
  });

  it("names no one: an @ before more letters, a name without @, or no team", () => {
    expect(split("Bo said @Bob would call", ["Bo"])).toEqual(["Bo said @Bob would call"]);
    expect(mentionPattern([])).toBeNull();
  });

  it("a name's own regex characters are matched as written", () => {
    expect(split("thanks @J. (Jo) Smith", ["J. (Jo) Smith"])).toEqual(["thanks ", "@J. (Jo) Smith", ""]);
  });
});
