/**
 * A typed phone number as WhatsApp ids write it: country code and number, digits only (E.164, 8 to
 * 15 digits, no leading 0); null for anything else. Spaces, dots, dashes and brackets are allowed.
 */
export function waIdOf(phone: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(phone.trim())) return null;
  const digits = phone.replace(/\D/g, "");
  return digits.length >= 8 && digits.length <= 15 && !digits.startsWith("0") ? digits : null;
}
