"use client";

import { useCallback, useEffect, useState } from "react";
import { createSignupCollector, parseSignupMessage, type SignupOutcome } from "./embedded-signup";

/** What the page receives from the server: the same shape for Meta and for the sandbox. */
export type SignupLaunchConfig = {
  sdkUrl: string;
  messageOrigin: string;
  appId: string;
  configId: string;
  graphVersion: string;
  extras: Record<string, unknown>;
};

type FacebookSdk = {
  init: (options: { appId: string; autoLogAppEvents?: boolean; xfbml?: boolean; version: string }) => void;
  login: (callback: (response: unknown) => void, options: Record<string, unknown>) => void;
};

declare global {
  interface Window {
    FB?: FacebookSdk;
    fbAsyncInit?: () => void;
  }
}

// After a login without a code, a CANCEL carrying Meta's error may still be on its way.
const SETTLE_MS = 1500;
const MISSING_SESSION_MS = 15_000;

/**
 * Loads the Facebook JS SDK (Meta's or the sandbox's, by address) and launches Embedded Signup as
 * Meta specifies: FB.login with config_id, response_type "code", override_default_response_type and
 * the configured extras; resolves once the code and the session message are both in, or on cancel.
 */
export function useEmbeddedSignup(config: SignupLaunchConfig) {
  const [sdk, setSdk] = useState<"loading" | "ready" | "failed">(() =>
    typeof window !== "undefined" && window.FB ? "ready" : "loading",
  );

  useEffect(() => {
    if (window.FB) {
      window.FB.init({ appId: config.appId, autoLogAppEvents: true, xfbml: false, version: config.graphVersion });
      setSdk("ready");
      return;
    }
    window.fbAsyncInit = () => {
      window.FB?.init({ appId: config.appId, autoLogAppEvents: true, xfbml: false, version: config.graphVersion });
      setSdk("ready");
    };
    const script = document.createElement("script");
    script.src = config.sdkUrl;
    script.async = true;
    script.defer = true;
    script.crossOrigin = "anonymous";
    script.onerror = () => setSdk("failed");
    document.body.appendChild(script);
  }, [config.appId, config.graphVersion, config.sdkUrl]);

  /** Must run inside the click handler: browsers block popups opened later. */
  const launch = useCallback(
    () =>
      new Promise<Exclude<SignupOutcome, { status: "waiting" }>>((resolve) => {
        const fb = window.FB;
        if (!fb) {
          resolve({ status: "cancelled", step: null, error: { code: null, message: "The Facebook SDK did not load." } });
          return;
        }
        const collector = createSignupCollector();
        let settleTimer: ReturnType<typeof setTimeout> | undefined;
        const finish = (outcome: SignupOutcome) => {
          if (outcome.status === "waiting") return;
          window.removeEventListener("message", onMessage);
          clearTimeout(settleTimer);
          resolve(outcome);
        };
        const onMessage = (event: MessageEvent) => {
          const parsed = parseSignupMessage({ origin: event.origin, data: event.data }, config.messageOrigin);
          if (parsed) finish(collector.addSession(parsed));
        };
        window.addEventListener("message", onMessage);
        fb.login(
          (response) => {
            const outcome = collector.addLogin(response);
            if (outcome.status !== "waiting") return finish(outcome);
            if (!collector.hasCode) {
              settleTimer = setTimeout(() => finish(collector.settle()), SETTLE_MS);
              return;
            }
            // The code lives 30 seconds: without the session message by then, the signup cannot complete.
            settleTimer = setTimeout(
              () =>
                finish({
                  status: "cancelled",
                  step: null,
                  error: { code: null, message: "Meta's signup message did not arrive; check the allowed signup origin." },
                }),
              MISSING_SESSION_MS,
            );
          },
          {
            config_id: config.configId,
            response_type: "code",
            override_default_response_type: true,
            extras: config.extras,
          },
        );
      }),
    [config.configId, config.extras, config.messageOrigin],
  );

  return { sdk, launch };
}
