// Forging access tokens for attack tests: every token built here is one the API must refuse,
// except those signed by a key the test itself publishes to the verifier under test.
import {
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
  UnsecuredJWT,
} from "jose";

export interface RsaKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A fresh RS256 key pair, its public half as a JWK the way Better-Auth publishes one. */
export async function rsaKey(kid: string): Promise<RsaKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", {
    modulusLength: 2048,
    extractable: true,
  });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256" } };
}

export const keySet = (...keys: RsaKey[]): JSONWebKeySet => ({ keys: keys.map((key) => key.publicJwk) });

/**
 * An RS256 token with exactly these claims (iat/exp/nbf as given, nothing added), under the
 * key's kid unless `kid` names another.
 */
export async function signRs256(
  key: RsaKey,
  claims: Record<string, unknown>,
  header: { kid?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: header.kid ?? key.kid })
    .sign(key.privateKey);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** `alg: none`, no signature: jose's own encoding, and one that also names a published kid. */
export function unsignedTokens(claims: Record<string, unknown>, kid: string): string[] {
  return [
    new UnsecuredJWT(claims).encode(),
    `${base64url({ alg: "none", kid, typ: "JWT" })}.${base64url(claims)}.`,
    `${base64url({ alg: "None", kid })}.${base64url(claims)}.`,
  ];
}

/**
 * The algorithm-confusion attack: HS256 "signed" with the server's public RSA key as the HMAC
 * secret, in every encoding a careless verifier might use as key material (PEM with and without
 * the final newline, the JWK's JSON, the raw modulus).
 */
export async function hs256WithPublicKey(publicJwk: JWK, claims: Record<string, unknown>): Promise<string[]> {
  const pem = await exportSPKI((await importJWK({ ...publicJwk, ext: true }, "RS256")) as CryptoKey);
  const secrets = [
    new TextEncoder().encode(pem),
    new TextEncoder().encode(pem.trimEnd()),
    new TextEncoder().encode(JSON.stringify(publicJwk)),
    new Uint8Array(Buffer.from(publicJwk.n ?? "", "base64url")),
  ];
  return Promise.all(
    secrets.map((secret) =>
      new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: publicJwk.kid }).sign(secret),
    ),
  );
}

/** The same header and signature over a changed payload. */
export function tampered(
  token: string,
  change: (claims: Record<string, unknown>) => Record<string, unknown>,
) {
  const [header, , signature] = token.split(".");
  return `${header}.${base64url(change(decodeJwt(token) as Record<string, unknown>))}.${signature}`;
}

export const kidOf = (token: string) => decodeProtectedHeader(token).kid;
