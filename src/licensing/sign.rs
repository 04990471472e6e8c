//! Ed25519 signatures per product: the private key stays on the server (sealed at rest), the
//! public key goes into the vendor's software, so a leaked copy of the software cannot forge a
//! licence answer (the peers' shared-secret hashes can).
use crate::error::{AppError, AppResult};
use ring::rand::SystemRandom;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

/// Every signed message starts with this, so a signature cannot be replayed for another use.
pub const CONTEXT: &[u8] = b"clientdesk-licence-v1\n";

/// A new key pair: (public key as hex, PKCS#8 private key sealed for storage).
pub fn new_key_pair() -> AppResult<(String, String)> {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| AppError::Internal)?;
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|_| AppError::Internal)?;
    let public = hex::encode(pair.public_key().as_ref());
    Ok((public, crate::auth::secrets::seal(&hex::encode(pkcs8.as_ref()))))
}

/// Sign `payload` (after the context) with a stored key.
pub fn sign(sealed_key: &str, payload: &[u8]) -> AppResult<Vec<u8>> {
    let pkcs8 = hex::decode(crate::auth::secrets::open(sealed_key)?).map_err(|_| AppError::Internal)?;
    let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|_| AppError::Internal)?;
    let mut message = CONTEXT.to_vec();
    message.extend_from_slice(payload);
    Ok(pair.sign(&message).as_ref().to_vec())
}

/// What the licensed software does: check a signature with the public key alone.
pub fn verify(public_hex: &str, payload: &[u8], signature: &[u8]) -> bool {
    let Ok(public) = hex::decode(public_hex) else { return false };
    let mut message = CONTEXT.to_vec();
    message.extend_from_slice(payload);
    UnparsedPublicKey::new(&ED25519, public).verify(&message, signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_with_the_public_key_only_and_not_after_tampering() {
        let (public, sealed) = new_key_pair().unwrap();
        assert_eq!(public.len(), 64, "32 bytes as hex");
        assert!(!sealed.contains(&public), "the stored key is sealed");
        let payload = br#"{"valid":true,"host":"shop.example.de"}"#;
        let signature = sign(&sealed, payload).unwrap();
        assert!(verify(&public, payload, &signature));
        assert!(!verify(&public, br#"{"valid":true,"host":"evil.example"}"#, &signature));
        let (other, _) = new_key_pair().unwrap();
        assert!(!verify(&other, payload, &signature), "another product's key does not accept it");
    }
}
