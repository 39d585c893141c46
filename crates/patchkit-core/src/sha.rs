//! SHA-256 digests as lowercase hex, identical to
//! `crypto.createHash('sha256').update(str).digest('hex')` on the UTF-8 bytes.

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`.
///
/// ```
/// assert_eq!(
///     patchkit_core::sha::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push(char::from(b"0123456789abcdef"[(byte >> 4) as usize]));
        hex.push(char::from(b"0123456789abcdef"[(byte & 15) as usize]));
    }
    hex
}
