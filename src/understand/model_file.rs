//! The model file: a format header, a SHA-256 of the payload, and a deflated payload with
//! the classifier (8-bit weights, 8-bit IDF) and the tag corpus statistics. Reading checks
//! everything and answers a clear error, never a panic.

use std::io::{Read, Write};

use anyhow::{Context, bail, ensure};
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use sha2::{Digest, Sha256};

use super::classify::{CLASSES, Classifier, K, dequantise, quantise};
use super::corpus::{self, CorpusStats};
use super::features::{DIM, DIM_BITS};

/// First bytes of every model file.
pub const MAGIC: &[u8; 16] = b"SAHIFA-SECTIONS\n";
/// The format version this build reads and writes.
pub const VERSION: u32 = 1;
/// A payload larger than this is not inflated (the real one is a few MB).
const MAX_PAYLOAD: u64 = 64 * 1024 * 1024;

/// Everything the model file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelData {
    pub classifier: Classifier,
    pub corpus: CorpusStats,
}

/// Serialises a model (weights and IDF quantised to 8 bits).
pub fn write(model: &ModelData) -> anyhow::Result<Vec<u8>> {
    let mut p: Vec<u8> = Vec::new();
    p.extend(DIM_BITS.to_le_bytes());
    p.extend((K as u32).to_le_bytes());
    for c in CLASSES {
        p.push(c.slug().len() as u8);
        p.extend(c.slug().as_bytes());
    }
    let c = &model.classifier;
    let idf_max = c.idf.iter().copied().fold(0f32, f32::max).max(1e-6);
    p.extend(idf_max.to_le_bytes());
    p.extend(
        c.idf
            .iter()
            .map(|v| (v / idf_max * 255.0).round().clamp(0.0, 255.0) as u8),
    );
    let (q, scales) = quantise(&c.weights);
    for s in scales {
        p.extend(s.to_le_bytes());
    }
    for b in c.bias {
        p.extend(b.to_le_bytes());
    }
    p.extend(q.iter().map(|&v| v as u8));
    p.extend(corpus::BITS.to_le_bytes());
    p.extend(model.corpus.docs.to_le_bytes());
    for d in &model.corpus.df {
        p.extend(d.to_le_bytes());
    }
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&p)?;
    let packed = enc.finish()?;
    let mut out = Vec::with_capacity(packed.len() + 64);
    out.extend(MAGIC);
    out.extend(VERSION.to_le_bytes());
    out.extend((p.len() as u64).to_le_bytes());
    out.extend(Sha256::digest(&p));
    out.extend(packed);
    Ok(out)
}

/// Parses a model file.
pub fn read(bytes: &[u8]) -> anyhow::Result<ModelData> {
    ensure!(
        bytes.len() >= 60 && &bytes[..16] == MAGIC,
        "not a sahifa section model (wrong header)"
    );
    let version = u32::from_le_bytes(bytes[16..20].try_into()?);
    ensure!(
        version == VERSION,
        "model format version {version}, this build reads version {VERSION}: retrain with `sahifa train sections`"
    );
    let len = u64::from_le_bytes(bytes[20..28].try_into()?);
    ensure!(
        len <= MAX_PAYLOAD,
        "model payload of {len} bytes is too large"
    );
    let mut payload = Vec::with_capacity(len as usize);
    DeflateDecoder::new(&bytes[60..])
        .take(len + 1)
        .read_to_end(&mut payload)
        .context("model payload is corrupt (cannot inflate)")?;
    ensure!(
        payload.len() as u64 == len && Sha256::digest(&payload)[..] == bytes[28..60],
        "model payload is corrupt (checksum mismatch)"
    );
    let mut r = Cursor { b: &payload, at: 0 };
    ensure!(r.u32()? == DIM_BITS, "model uses a different feature size");
    ensure!(
        r.u32()? as usize == K,
        "model has a different number of sections"
    );
    for c in CLASSES {
        let n = r.take(1)?[0] as usize;
        let slug = r.take(n)?;
        ensure!(
            slug == c.slug().as_bytes(),
            "model sections differ from this build's"
        );
    }
    let idf_max = r.f32()?;
    let idf = r
        .take(DIM)?
        .iter()
        .map(|&v| f32::from(v) / 255.0 * idf_max)
        .collect();
    let mut scales = [0f32; K];
    for s in &mut scales {
        *s = r.f32()?;
    }
    let mut bias = [0f32; K];
    for b in &mut bias {
        *b = r.f32()?;
    }
    let q: Vec<i8> = r.take(DIM * K)?.iter().map(|&v| v as i8).collect();
    let weights = dequantise(&q, &scales);
    ensure!(
        r.u32()? == corpus::BITS,
        "model uses a different tag table size"
    );
    let docs = r.u32()?;
    let raw = r.take(2usize << corpus::BITS)?;
    let df = raw
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if r.at != payload.len() {
        bail!(
            "model payload has {} unexpected trailing bytes",
            payload.len() - r.at
        );
    }
    Ok(ModelData {
        classifier: Classifier { idf, weights, bias },
        corpus: CorpusStats { docs, df },
    })
}

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> anyhow::Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len());
        let Some(end) = end else {
            bail!("model payload is truncated at byte {}", self.at)
        };
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> anyhow::Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn f32(&mut self) -> anyhow::Result<f32> {
        let v = f32::from_le_bytes(self.take(4)?.try_into()?);
        ensure!(v.is_finite(), "model holds a non-finite number");
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> ModelData {
        let mut weights = vec![0f32; DIM * K];
        weights[7] = 0.5;
        weights[DIM * K - 1] = -1.25;
        let mut idf = vec![1.0f32; DIM];
        idf[3] = 8.0;
        let mut corpus = CorpusStats::default();
        corpus.add_document(["ليبيا", "حفتر"].into_iter());
        ModelData {
            classifier: Classifier {
                idf,
                weights,
                bias: [0.1, -0.1, 0.0, 0.2, 0.0, 0.0],
            },
            corpus,
        }
    }

    #[test]
    fn round_trips() {
        let m = small();
        let bytes = write(&m).expect("write");
        let back = read(&bytes).expect("read");
        assert_eq!(back.corpus, m.corpus);
        assert_eq!(back.classifier.bias, m.classifier.bias);
        assert!((back.classifier.weights[7] - 0.5).abs() < 0.01);
        assert!((back.classifier.idf[3] - 8.0).abs() < 0.05);
    }

    #[test]
    fn corrupt_files_are_errors() {
        let bytes = write(&small()).expect("write");
        assert!(read(b"").is_err());
        assert!(read(&bytes[..bytes.len() / 2]).is_err());
        let mut v = bytes.clone();
        v[16] = 9;
        assert!(format!("{:#}", read(&v).expect_err("bad version")).contains("version"));
        let mut v = bytes.clone();
        let last = v.len() - 3;
        v[last] ^= 0x55;
        assert!(read(&v).is_err());
    }

    /// A written small model, made once.
    static SMALL: std::sync::LazyLock<Vec<u8>> =
        std::sync::LazyLock::new(|| write(&small()).expect("write"));

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bytes_after_the_header_are_refused(mut tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let mut v = MAGIC.to_vec();
            v.extend(VERSION.to_le_bytes());
            v.append(&mut tail);
            proptest::prop_assert!(read(&v).is_err());
        }

        #[test]
        fn any_changed_or_missing_byte_of_a_model_is_refused(
            at in proptest::prelude::any::<proptest::sample::Index>(),
            flip in 1u8..=255,
        ) {
            let bytes = &*SMALL;
            let i = at.index(bytes.len());
            let mut changed = bytes.clone();
            changed[i] ^= flip;
            proptest::prop_assert!(read(&changed).is_err(), "byte {} changed by {:#x}", i, flip);
            proptest::prop_assert!(read(&bytes[..i]).is_err(), "cut at {}", i);
            let back = read(bytes).expect("the model itself reads");
            let again = write(&back).expect("write");
            proptest::prop_assert_eq!(again.as_slice(), bytes.as_slice());
        }
    }
}
