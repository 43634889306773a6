//! Corpus statistics for tag salience: how many training documents contain each candidate
//! tag key (normalised unigram or bigram), kept as hashed saturating counts.

/// log2 of the number of buckets.
pub const BITS: u32 = 18;

/// Document frequencies of tag keys over a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusStats {
    pub docs: u32,
    pub df: Vec<u16>,
}

impl Default for CorpusStats {
    fn default() -> Self {
        CorpusStats {
            docs: 0,
            df: vec![0; 1 << BITS],
        }
    }
}

/// The bucket of a tag key.
pub fn bucket(key: &str) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    ((h ^ (h >> 31)) as usize) & ((1 << BITS) - 1)
}

impl CorpusStats {
    /// Counts one document's distinct keys.
    pub fn add_document<'a>(&mut self, keys: impl Iterator<Item = &'a str>) {
        let mut seen: Vec<usize> = keys.map(bucket).collect();
        seen.sort_unstable();
        seen.dedup();
        for b in seen {
            self.df[b] = self.df[b].saturating_add(1);
        }
        self.docs = self.docs.saturating_add(1);
    }

    /// Fraction of documents that contain `key` (0 when there are no statistics).
    pub fn doc_fraction(&self, key: &str) -> f32 {
        if self.docs == 0 {
            return 0.0;
        }
        f32::from(self.df[bucket(key)]) / self.docs as f32
    }

    /// Smoothed inverse document frequency of `key`.
    pub fn idf(&self, key: &str) -> f32 {
        let n = self.docs as f32;
        ((n + 1.0) / (f32::from(self.df[bucket(key)]) + 1.0)).ln() + 1.0
    }
}
