export * from "./contacts";
export * from "./conversations";
export * from "./messages";
export * from "./numbers";
export * from "./system";
export * from "./users";
export * from "./webhooks";
