/**
 * What Meta's send error codes mean for an agent, and what the outbound queue does about them.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes
 *
 * `retry`: the error proves nothing was sent and waiting helps (throughput, pair rate limit).
 * `reconnect`: the token is dead; the number pauses until an admin reconnects it.
 */
export type SendErrorAction = "retry" | "fail" | "reconnect";

export type SendErrorInfo = { sentence: string; action: string; handling: SendErrorAction };

export const sendErrors: Record<number, SendErrorInfo> = {
  4: { sentence: "Too many calls to the Graph API from this app.", action: "Tandem retries shortly.", handling: "retry" },
  100: {
    sentence: "WhatsApp rejected a parameter of this message.",
    action: "Check the message (template variables, media) and send it again.",
    handling: "fail",
  },
  190: {
    sentence: "The number's access token is no longer valid.",
    action: "An admin must reconnect the number; its messages wait until then.",
    handling: "reconnect",
  },
  80007: { sentence: "The WhatsApp Business Account hit its rate limit.", action: "Tandem retries shortly.", handling: "retry" },
  130429: {
    sentence: "The number reached its throughput limit (20 messages per second).",
    action: "Tandem slows down and retries.",
    handling: "retry",
  },
  131026: {
    sentence: "WhatsApp could not deliver this message: the number may not use WhatsApp, or runs an old version.",
    action: "Confirm the customer's number, or reach them another way.",
    handling: "fail",
  },
  131047: {
    sentence: "Window closed: send a template.",
    action: "More than 24 hours passed since the customer last wrote; only an approved template can reach them.",
    handling: "fail",
  },
  131049: {
    sentence: "WhatsApp held this marketing message back to keep engagement healthy.",
    action: "Do not resend now; try again in 24 hours or more.",
    handling: "fail",
  },
  131050: {
    sentence: "The customer stopped marketing messages from this business.",
    action: "Do not send marketing templates; reply when they write to you.",
    handling: "fail",
  },
  131051: {
    sentence: "WhatsApp does not support this message type.",
    action: "Send text, a photo or a document instead.",
    handling: "fail",
  },
  131052: {
    sentence: "WhatsApp could not download the media of this message.",
    action: "Attach the file again (images up to 5 MB, documents up to 100 MB).",
    handling: "fail",
  },
  131053: {
    sentence: "WhatsApp could not process the uploaded media.",
    action: "Attach a supported file (JPEG or PNG photo, PDF or Office document).",
    handling: "fail",
  },
  131056: {
    sentence: "Too many messages to this customer in a short time.",
    action: "Tandem waits and retries; other customers are not affected.",
    handling: "retry",
  },
  131057: { sentence: "The WhatsApp account is in maintenance.", action: "Tandem retries later.", handling: "retry" },
  132000: {
    sentence: "The number of template variables does not match the template.",
    action: "Sync the templates, fill every variable and send again.",
    handling: "fail",
  },
  132001: {
    sentence: "This template does not exist in this language, or is not approved.",
    action: "Sync the templates and choose an approved one.",
    handling: "fail",
  },
  132012: {
    sentence: "A template variable has the wrong format.",
    action: "Check the variables (text, media link) and send again.",
    handling: "fail",
  },
  132015: { sentence: "This template is paused for low quality.", action: "Choose another template.", handling: "fail" },
  132016: { sentence: "This template was disabled for low quality.", action: "Choose another template.", handling: "fail" },
  133010: {
    sentence: "The number is not registered on the WhatsApp Cloud API.",
    action: "An admin must reconnect the number.",
    handling: "fail",
  },
};

const unknownCode: SendErrorInfo = {
  sentence: "WhatsApp refused this message.",
  action: "Read the details, then retry or discard it.",
  handling: "fail",
};

export function describeSendError(code: number): SendErrorInfo {
  return sendErrors[code] ?? unknownCode;
}
