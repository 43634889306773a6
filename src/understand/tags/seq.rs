//! The word sequence of one article (headline words weighted higher) and which words a tag
//! has already claimed, so no word counts for two tags.

use super::words::{Word, words};

/// The word sequence of one article with what has been claimed by a tag.
pub(super) struct Seq {
    pub words: Vec<Word>,
    pub weight: Vec<f32>,
    pub used: Vec<bool>,
}

impl Seq {
    pub fn new(parts: &[(&str, f32)]) -> Seq {
        let mut s = Seq {
            words: Vec::new(),
            weight: Vec::new(),
            used: Vec::new(),
        };
        for &(text, w) in parts {
            let mut ws = words(text);
            if let Some(first) = ws.first_mut() {
                first.joined = false;
            }
            s.weight.extend(std::iter::repeat_n(w, ws.len()));
            s.used.extend(std::iter::repeat_n(false, ws.len()));
            s.words.extend(ws);
        }
        s
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn key(&self, i: usize) -> &str {
        &self.words[i].key
    }

    /// Whether words `i..i+n` are free and joined by spaces only.
    pub fn free_run(&self, i: usize, n: usize) -> bool {
        i + n <= self.len()
            && (i..i + n).all(|j| !self.used[j])
            && (i + 1..i + n).all(|j| self.words[j].joined)
    }

    /// Claims every free occurrence of `keys` and returns their weighted count.
    pub fn claim_all(&mut self, keys: &[String]) -> f32 {
        let n = keys.len();
        let mut total = 0.0;
        let mut i = 0;
        while i + n <= self.len() {
            if self.free_run(i, n) && (0..n).all(|k| self.words[i + k].key == keys[k]) {
                total += self.weight[i];
                self.used[i..i + n].iter_mut().for_each(|u| *u = true);
                i += n;
            } else {
                i += 1;
            }
        }
        total
    }

    pub fn surface(&self, i: usize, n: usize) -> String {
        let parts: Vec<&str> = (i..i + n).map(|j| self.words[j].surface.as_str()).collect();
        parts.join(" ")
    }

    pub fn keys(&self, i: usize, n: usize) -> Vec<String> {
        (i..i + n).map(|j| self.words[j].key.clone()).collect()
    }
}
