//! Quality measures for the section classifier: accuracy, macro-F1, per-class precision,
//! recall and F1, and the confusion matrix, printed as plain text.

use std::fmt;

use super::classify::{CLASSES, K};

/// A confusion matrix: `m[truth][predicted]`, plus the unclassified count per truth.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Confusion {
    pub m: [[u32; K]; K],
    pub unclassified: [u32; K],
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: u32,
}

impl Confusion {
    /// Records one prediction (`None`: left unclassified, which counts as an error).
    pub fn add(&mut self, truth: usize, predicted: Option<usize>) {
        match predicted {
            Some(p) => self.m[truth][p] += 1,
            None => self.unclassified[truth] += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.m.iter().flatten().sum::<u32>() + self.unclassified.iter().sum::<u32>()
    }

    pub fn accuracy(&self) -> f64 {
        let correct: u32 = (0..K).map(|k| self.m[k][k]).sum();
        ratio(f64::from(correct), f64::from(self.total()))
    }

    pub fn class(&self, k: usize) -> ClassScores {
        let tp = f64::from(self.m[k][k]);
        let predicted: u32 = (0..K).map(|t| self.m[t][k]).sum();
        let support: u32 = self.m[k].iter().sum::<u32>() + self.unclassified[k];
        let precision = ratio(tp, f64::from(predicted));
        let recall = ratio(tp, f64::from(support));
        let f1 = ratio(2.0 * precision * recall, precision + recall);
        ClassScores {
            precision,
            recall,
            f1,
            support,
        }
    }

    pub fn macro_f1(&self) -> f64 {
        (0..K).map(|k| self.class(k).f1).sum::<f64>() / K as f64
    }

    /// Adds another matrix (e.g. the folds of a cross-validation).
    pub fn merge(&mut self, other: &Confusion) {
        for t in 0..K {
            for p in 0..K {
                self.m[t][p] += other.m[t][p];
            }
            self.unclassified[t] += other.unclassified[t];
        }
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { 0.0 }
}

impl fmt::Display for Confusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "records {}  accuracy {:.4}  macro-F1 {:.4}",
            self.total(),
            self.accuracy(),
            self.macro_f1()
        )?;
        writeln!(
            f,
            "\n{:<18} {:>9} {:>9} {:>9} {:>8}",
            "section", "precision", "recall", "F1", "support"
        )?;
        for (k, c) in CLASSES.iter().enumerate() {
            let s = self.class(k);
            writeln!(
                f,
                "{:<18} {:>9.4} {:>9.4} {:>9.4} {:>8}",
                c.slug(),
                s.precision,
                s.recall,
                s.f1,
                s.support
            )?;
        }
        write!(
            f,
            "\nconfusion (rows: truth, columns: predicted)\n{:<18}",
            ""
        )?;
        for c in CLASSES {
            write!(f, " {:>6}", abbrev(c.slug()))?;
        }
        writeln!(f, " {:>6}", "none")?;
        for (k, c) in CLASSES.iter().enumerate() {
            write!(f, "{:<18}", c.slug())?;
            for p in 0..K {
                write!(f, " {:>6}", self.m[k][p])?;
            }
            writeln!(f, " {:>6}", self.unclassified[k])?;
        }
        Ok(())
    }
}

fn abbrev(s: &str) -> &str {
    s.get(..6).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_small_matrix() {
        let mut c = Confusion::default();
        for _ in 0..3 {
            c.add(0, Some(0));
        }
        c.add(0, Some(1));
        c.add(1, Some(1));
        c.add(1, None);
        assert_eq!(c.total(), 6);
        assert!((c.accuracy() - 4.0 / 6.0).abs() < 1e-9);
        let s0 = c.class(0);
        assert!((s0.precision - 1.0).abs() < 1e-9 && (s0.recall - 0.75).abs() < 1e-9);
        let s1 = c.class(1);
        assert!((s1.precision - 0.5).abs() < 1e-9 && (s1.recall - 0.5).abs() < 1e-9);
        let text = c.to_string();
        assert!(text.contains("macro-F1") && text.contains("culture"));
    }
}
