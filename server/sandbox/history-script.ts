import { createHash } from "node:crypto";

/**
 * What the demo business's WhatsApp Business app "remembers" from before onboarding: its address book
 * (for the contacts sync) and six months of 1:1 chats (for the history sync). Fixed content, placed in
 * time relative to the sandbox's onboarding moment, with stable message ids so a repeated sync after a
 * reset deduplicates in Tandem.
 */

/** Names as the business typed them into its phone's address book, not the customers' profile names. */
export const addressBook: readonly { phone: string; fullName: string; firstName: string }[] = [
  { phone: "16505551234", fullName: "Sheena Nelson (wholesale)", firstName: "Sheena" },
  { phone: "447700900123", fullName: "Oliver Brown – London", firstName: "Oliver" },
  { phone: "5511987654321", fullName: "Ana Souza · Café Aurora", firstName: "Ana" },
  { phone: "12125557890", fullName: "Marcus Lee", firstName: "Marcus" },
  { phone: "33612345678", fullName: "Chloé Martin", firstName: "Chloé" },
  { phone: "81312345678", fullName: "Kenji Tanaka bonsai", firstName: "Kenji" },
  { phone: "919876543210", fullName: "Priya Sharma", firstName: "Priya" },
  { phone: "4930901820", fullName: "Grünwald Ceramics (supplier)", firstName: "Grünwald" },
];

export type HistoryStatus = "DELIVERED" | "ERROR" | "PENDING" | "PLAYED" | "READ" | "SENT";

type Line = {
  /** c: the customer wrote it; b: the business did, in the app. */
  by: "c" | "b";
  text?: string;
  /** A media message: history only carries a `media_placeholder` for it. */
  photo?: { caption: string; seed: number };
  voice?: true;
  status?: HistoryStatus;
};
type Session = { daysAgo: number; lines: Line[] };

const script: readonly { waId: string; sessions: Session[] }[] = [
  {
    waId: "16505551234",
    sessions: [
      {
        daysAgo: 151.3,
        lines: [
          { by: "c", text: "Hi! Do you ship to San Francisco?" },
          { by: "b", text: "Hi Sheena, we do: 2 to 3 business days within California." },
          { by: "c", text: "Great, I'll order the large glazed planter then." },
        ],
      },
      {
        daysAgo: 41.6,
        lines: [
          { by: "c", photo: { caption: "It arrived cracked :(", seed: 1000 } },
          { by: "b", text: "So sorry about that! A replacement goes out today, no need to send it back." },
          { by: "c", text: "Thank you 🙏" },
        ],
      },
      {
        daysAgo: 9.2,
        lines: [
          { by: "b", photo: { caption: "New glazes just arrived", seed: 1011 } },
          { by: "c", text: "Ooh, the blue one please! Same size as last time." },
          { by: "b", text: "Reserved for you. I'll send the payment link.", status: "READ" },
        ],
      },
      {
        daysAgo: 0.31,
        lines: [
          { by: "c", text: "Is my order on its way?" },
          { by: "b", text: "Yes, it shipped this morning. Tracking: 1Z 999 AA1 01 2345 6784", status: "DELIVERED" },
        ],
      },
    ],
  },
  {
    waId: "447700900123",
    sessions: [
      {
        daysAgo: 122.4,
        lines: [
          { by: "c", text: "Hello, are you open on bank holidays?" },
          { by: "b", text: "We are, 10am to 4pm." },
        ],
      },
      {
        daysAgo: 11.8,
        lines: [
          { by: "c", photo: { caption: "Is this leaf normal?", seed: 1022 } },
          { by: "b", text: "That looks like overwatering. Let it dry out for a week and keep it out of direct sun." },
          { by: "c", text: "Will do, cheers" },
        ],
      },
      {
        daysAgo: 0.62,
        lines: [{ by: "c", text: "Update: it's recovering nicely!", status: "DELIVERED" }],
      },
    ],
  },
  {
    waId: "5511987654321",
    sessions: [
      {
        daysAgo: 169.5,
        lines: [
          { by: "c", text: "Olá! Vocês entregam no Brasil?" },
          { by: "b", text: "Hi Ana! Sorry, we only ship within the US and the UK for now." },
        ],
      },
      {
        daysAgo: 62.1,
        lines: [
          { by: "c", text: "Any news on shipping to Brazil?" },
          { by: "b", text: "Not yet, but you'll be the first to know!", status: "SENT" },
        ],
      },
      {
        daysAgo: 2.7,
        lines: [
          { by: "b", photo: { caption: "Our new international catalogue: Brazil included!", seed: 1033 } },
          { by: "c", text: "Finalmente! 🎉 Vou fazer um pedido hoje." },
        ],
      },
    ],
  },
  {
    waId: "12125557890",
    sessions: [
      {
        daysAgo: 96.2,
        lines: [
          { by: "c", text: "Are you open on Sunday?" },
          { by: "b", text: "Sundays 11am to 3pm." },
        ],
      },
      {
        daysAgo: 30.4,
        lines: [
          { by: "c", voice: true, status: "PLAYED" },
          { by: "b", text: "Yes, we have gift cards from $20, any amount." },
          { by: "c", text: "Perfect, I'll stop by on Saturday." },
        ],
      },
    ],
  },
  {
    waId: "33612345678",
    sessions: [
      {
        daysAgo: 74.9,
        lines: [
          { by: "c", text: "Bonjour, do you ship to France?" },
          { by: "b", text: "Oui! About a week to Paris." },
          { by: "c", photo: { caption: "My balcony, what would fit here?", seed: 1044 } },
          { by: "b", text: "Lovely balcony! A trailing ivy would look great on that railing." },
        ],
      },
      {
        daysAgo: 5.4,
        lines: [
          { by: "c", text: "Ordered the ivy 🌿 merci !" },
          { by: "b", text: "Merci Chloé! It ships on Monday.", status: "DELIVERED" },
        ],
      },
    ],
  },
  {
    waId: "81312345678",
    sessions: [
      {
        daysAgo: 141,
        lines: [
          { by: "c", text: "Do you sell bonsai tools?" },
          { by: "b", text: "We have a starter kit for $45: shears, wire cutter and a rake." },
          { by: "c", text: "I'll take one." },
          { by: "b", text: "Done, it ships tomorrow." },
        ],
      },
      {
        daysAgo: 0.18,
        lines: [
          { by: "c", photo: { caption: "First cut done!", seed: 1055 } },
          { by: "b", text: "Beautiful work, Kenji!", status: "PENDING" },
        ],
      },
    ],
  },
  {
    waId: "919876543210",
    sessions: [
      {
        daysAgo: 20.3,
        lines: [
          { by: "c", text: "Hi, is the monstera still in stock?" },
          { by: "b", text: "Only two left!" },
          { by: "c", text: "Please reserve one for me" },
          { by: "b", text: "Reserved until Friday." },
        ],
      },
      {
        daysAgo: 13.1,
        lines: [
          { by: "b", photo: { caption: "Your monstera, ready for pickup", seed: 1066 } },
          { by: "c", text: "Coming this afternoon 😊" },
        ],
      },
    ],
  },
  {
    waId: "61412345678",
    sessions: [
      {
        daysAgo: 177.6,
        lines: [
          { by: "c", text: "G'day, do you have a catalogue?" },
          { by: "b", photo: { caption: "Here you go!", seed: 1077 }, status: "ERROR" },
          { by: "b", text: "Sorry, the photo failed. Have a look at our website instead." },
          { by: "c", text: "Cheers mate" },
        ],
      },
    ],
  },
];

export type ScriptedMessage = {
  waId: string;
  wamid: string;
  timestamp: number;
  direction: "inbound" | "outbound";
  phase: 0 | 1 | 2;
  status: HistoryStatus;
  text: string | null;
  /** Set on `media_placeholder` messages. */
  media: { kind: "photo"; caption: string; seed: number; mediaId: string } | { kind: "voice" } | null;
};

const daySeconds = 24 * 60 * 60;
// Media from the last 14 days before onboarding gets a follow-up; Meta never shares older media.
export const mediaFollowUpDays = 14;

/** The scripted history placed before `onboardedAt`, thread by thread, oldest first. */
export function scriptedHistory(onboardedAt: Date): { waId: string; messages: ScriptedMessage[] }[] {
  const onboarded = Math.floor(onboardedAt.getTime() / 1000);
  return script.map((thread) => ({
    waId: thread.waId,
    messages: thread.sessions.flatMap((session, sessionIndex) =>
      session.lines.map((line, lineIndex): ScriptedMessage => {
        // A couple of minutes between the lines of one conversation.
        const timestamp = onboarded - Math.round(session.daysAgo * daySeconds) + lineIndex * 140;
        const age = onboarded - timestamp;
        const key = `${thread.waId}:${sessionIndex}:${lineIndex}`;
        return {
          waId: thread.waId,
          wamid: `wamid.${stableBytes(`history:${key}`, 30).toString("base64")}`,
          timestamp,
          direction: line.by === "c" ? "inbound" : "outbound",
          phase: age < daySeconds ? 0 : age < 90 * daySeconds ? 1 : 2,
          status: line.status ?? "READ",
          text: line.text ?? null,
          media: line.photo
            ? { kind: "photo", ...line.photo, mediaId: `2${stableDigits(`media:${key}`, 15)}` }
            : line.voice
              ? { kind: "voice" }
              : null,
        };
      }),
    ),
  }));
}

export function isWithinMediaFollowUp(message: ScriptedMessage, onboardedAt: Date): boolean {
  return Math.floor(onboardedAt.getTime() / 1000) - message.timestamp <= mediaFollowUpDays * daySeconds;
}

function stableBytes(key: string, length: number): Buffer {
  return createHash("sha256").update(`tandem-sandbox:${key}`).digest().subarray(0, length);
}

function stableDigits(key: string, length: number): string {
  return BigInt(`0x${stableBytes(key, 16).toString("hex")}`)
    .toString()
    .slice(0, length)
    .padStart(length, "0");
}

/**
 * A larger history for load and timing checks: `count` text messages over the 180 days before
 * onboarding, in threads of up to 100 messages with generated customers, alternating sides.
 */
export function syntheticHistory(onboardedAt: Date, count: number): { waId: string; messages: ScriptedMessage[] }[] {
  const onboarded = Math.floor(onboardedAt.getTime() / 1000);
  const perThread = 100;
  const threadCount = Math.max(1, Math.ceil(count / perThread));
  return Array.from({ length: threadCount }, (_, t) => {
    const waId = `1555${String(t).padStart(7, "0")}`;
    const size = Math.min(perThread, count - t * perThread);
    return {
      waId,
      messages: Array.from({ length: size }, (_, i): ScriptedMessage => {
        // Oldest first, spread evenly from 180 days ago to just before onboarding.
        const age = Math.max(60, Math.round(((size - i) / size) * 180 * daySeconds) - t * 37);
        return {
          waId,
          wamid: `wamid.${stableBytes(`synthetic:${waId}:${i}`, 30).toString("base64")}`,
          timestamp: onboarded - age,
          direction: i % 2 === 0 ? "inbound" : "outbound",
          phase: age < daySeconds ? 0 : age < 90 * daySeconds ? 1 : 2,
          status: "READ",
          text: `Archived message ${i + 1} with customer ${t + 1}`,
          media: null,
        };
      }),
    };
  });
}
