import { describe, expect, it } from "vitest";
import { describeSendError, sendErrors } from "./send-errors";

describe("the send error table", () => {
  it("covers every code the inbox must explain, each with a sentence and an action", () => {
    const required = [
      131047, 131026, 131049, 131050, 131051, 131052, 131056, 130429, 132000, 132001, 132012, 132015, 132016, 133010, 100, 190,
    ];
    for (const code of required) {
      expect(sendErrors[code], `code ${code}`).toBeDefined();
      expect(sendErrors[code]!.sentence.length).toBeGreaterThan(10);
      expect(sendErrors[code]!.action.length).toBeGreaterThan(10);
    }
  });

  it("retries only what proves nothing was sent, and pauses the number on a dead token", () => {
    expect(describeSendError(130429).handling).toBe("retry");
    expect(describeSendError(131056).handling).toBe("retry");
    expect(describeSendError(190).handling).toBe("reconnect");
    expect(describeSendError(131047).handling).toBe("fail");
    expect(describeSendError(131026).handling).toBe("fail");
    expect(describeSendError(999999).handling).toBe("fail");
  });
});
