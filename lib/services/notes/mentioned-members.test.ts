import { describe, expect, it } from "vitest";
import { findMentionedMembers } from "./mentioned-members";

const bo = { id: "1", name: "Bo" };
const boAgent = { id: "2", name: "Bo Agent" };
const ada = { id: "3", name: "Ada Admin" };

describe("mentions in a note", () => {
  it("finds members named with @, whatever the case, at the end of a word", () => {
    expect(findMentionedMembers("@ada admin, can you check? cc @Bo", [bo, ada])).toEqual([ada, bo]);
  });

  it("a longer name does not also mention a member whose name starts it", () => {
    expect(findMentionedMembers("thanks @Bo Agent!", [bo, boAgent])).toEqual([boAgent]);
  });

  it("a name without @, or followed by more letters, mentions nobody", () => {
    expect(findMentionedMembers("Bo said @Bob would call", [bo])).toEqual([]);
  });
});
