/**
 * The demo business that exists both in the Meta sandbox and in Tandem from the first start, so
 * Tandem can be tried without a real, eligible phone number.
 */
export const demoNumber = {
  wabaId: "102290129340398",
  phoneNumberId: "106540352242922",
  displayPhoneNumber: "15550783881",
  verifiedName: "Tandem Demo Shop",
  accessToken: "sandbox-business-token",
} as const;

export const demoCustomers = [
  { waId: "16505551234", name: "Sheena Nelson" },
  { waId: "447700900123", name: "Oliver Brown" },
  { waId: "5511987654321", name: "Ana Souza" },
] as const;

/**
 * The sandbox's stand-in for Tandem's Meta app: the app id and Embedded Signup configuration id the
 * sandbox's Facebook SDK and popup accept in demo mode (a real app brings its own).
 */
export const demoApp = { appId: "1117301853922417", configId: "4250019931847702" } as const;
