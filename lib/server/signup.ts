import "server-only";
import { demoApp } from "@/lib/demo";
import { isDemoMode } from "@/lib/env/shared";
import { webEnv } from "@/lib/env/web";
import { createOnboardingGraph } from "@/lib/whatsapp/graph-onboarding";

/**
 * What the browser needs to launch Embedded Signup. Demo and real mode run the same client code;
 * only the SDK address, app id, configuration id and the origin of the popup's messages differ.
 */
export function getSignupConfig() {
  const env = webEnv();
  if (isDemoMode(env)) {
    const sandbox = (env.SANDBOX_PUBLIC_URL ?? "http://127.0.0.1:3002").replace(/\/+$/, "");
    return {
      isDemo: true,
      sdkUrl: `${sandbox}/sdk.js`,
      messageOrigin: sandbox,
      appId: demoApp.appId,
      configId: demoApp.configId,
      graphVersion: env.META_GRAPH_VERSION,
      extras: env.META_SIGNUP_EXTRAS,
    };
  }
  return {
    isDemo: false,
    sdkUrl: env.META_SDK_URL,
    messageOrigin: env.META_SIGNUP_ORIGIN,
    appId: env.META_APP_ID,
    configId: env.META_CONFIG_ID,
    graphVersion: env.META_GRAPH_VERSION,
    extras: env.META_SIGNUP_EXTRAS,
  };
}

export type SignupConfig = ReturnType<typeof getSignupConfig>;

/** The Graph calls of onboarding, with the app's credentials (the sandbox's in demo mode). */
export function getOnboardingGraph() {
  const env = webEnv();
  return createOnboardingGraph({
    baseUrl: env.META_GRAPH_URL,
    version: env.META_GRAPH_VERSION,
    appId: isDemoMode(env) ? demoApp.appId : env.META_APP_ID,
    appSecret: env.META_APP_SECRET,
  });
}
