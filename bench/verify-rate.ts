import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createAccessTokenVerifier } from "../src/platform/auth/access-tokens";

/** What authentication itself costs per request: verifying one access token, keys in memory. */
export async function verificationRate(seconds: number): Promise<number> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
  const jwk = { ...(await exportJWK(publicKey)), kid: "bench", alg: "RS256" };
  const verifier = createAccessTokenVerifier({
    loadKeys: async () => ({ keys: [jwk] }),
    issuer: "http://bench",
    audience: "joxicrochet-api",
    isRevoked: async () => false,
  });
  const token = await new SignJWT({ role: "customer", sid: "session" })
    .setProtectedHeader({ alg: "RS256", kid: "bench" })
    .setSubject("user")
    .setIssuer("http://bench")
    .setAudience("joxicrochet-api")
    .setIssuedAt()
    .setExpirationTime("15m")
    .sign(privateKey);
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let done = 0;
  while (performance.now() < deadline) {
    await verifier.verify(token);
    done += 1;
  }
  return Math.round((done * 1000) / (performance.now() - started));
}
