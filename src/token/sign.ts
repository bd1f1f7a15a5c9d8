// Signing decision tokens: compact JWS, EdDSA, typ gate-decision+jwt, kid of the signing key.
import { importJWK, SignJWT, type JWK } from 'jose';
import { ALGORITHM, TOKEN_TYPE, type DecisionClaims } from './claims.js';

export interface SigningKey {
  kid: string;
  /** The private JWK (kty OKP, crv Ed25519, with d). */
  privateJwk: JWK;
}

export async function signDecision(claims: DecisionClaims, key: SigningKey): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, ALGORITHM);
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: ALGORITHM, typ: TOKEN_TYPE, kid: key.kid }).sign(privateKey);
}
