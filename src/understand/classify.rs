//! The section classifier: multinomial logistic regression over the hashed TF-IDF features,
//! trained by SGD with L2 regularisation (fixed seed, so training is deterministic), and
//! shipped with 8-bit quantised weights.

use crate::model::Section;

use super::features::{self, Counts, DIM, Sparse, Text};

/// The classes, in the model file's order.
pub const CLASSES: [Section; 6] = [
    Section::Culture,
    Section::Economy,
    Section::InternationalNews,
    Section::MiddleEast,
    Section::Sport,
    Section::Technology,
];
/// Number of classes.
pub const K: usize = CLASSES.len();

/// A text with fewer Arabic terms than this is left unclassified: the model knows Arabic
/// news only, and a handful of words is no evidence.
pub const MIN_ARABIC_TERMS: usize = 5;

/// Training settings. Regularisation is kept light (the feature space is much larger than
/// the corpus, and averaging the weights of the later passes does the smoothing); twenty
/// passes let the step size settle. Not tuned per file.
#[derive(Debug, Clone, Copy)]
pub struct TrainParams {
    pub lambda: f32,
    pub epochs: usize,
    pub seed: u64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            lambda: 1e-6,
            epochs: 20,
            seed: 0x5a41_4946_4121,
        }
    }
}

/// A trained classifier: IDF per bucket, weights (bucket-major, K per bucket) and biases.
#[derive(Debug, Clone, PartialEq)]
pub struct Classifier {
    pub idf: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: [f32; K],
}

/// A prediction: the most probable section and its probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// None when the text is not something the model can judge (too little Arabic).
    pub section: Option<Section>,
    pub confidence: f32,
    pub probs: [f32; K],
}

impl Classifier {
    /// Classifies a text.
    pub fn predict(&self, text: Text<'_>) -> Prediction {
        let (counts, arabic_terms) = features::counts(text);
        let x = features::weigh(&counts, &self.idf);
        if arabic_terms < MIN_ARABIC_TERMS || x.is_empty() {
            return Prediction {
                section: None,
                confidence: 0.0,
                probs: [1.0 / K as f32; K],
            };
        }
        self.predict_vector(&x)
    }

    /// Classifies a weighted feature vector.
    pub fn predict_vector(&self, x: &Sparse) -> Prediction {
        let probs = softmax(self.logits(x));
        let (best, p) = argmax(&probs);
        Prediction {
            section: Some(CLASSES[best]),
            confidence: p,
            probs,
        }
    }

    fn logits(&self, x: &Sparse) -> [f32; K] {
        let mut z = self.bias;
        for &(b, v) in x {
            let row = &self.weights[b as usize * K..b as usize * K + K];
            for k in 0..K {
                z[k] += row[k] * v;
            }
        }
        z
    }

    /// The same classifier with weights rounded to 8 bits per class (as the model file
    /// stores them), so evaluation measures what ships.
    pub fn quantised(&self) -> Classifier {
        let (q, scales) = quantise(&self.weights);
        Classifier {
            idf: self.idf.clone(),
            weights: dequantise(&q, &scales),
            bias: self.bias,
        }
    }
}

/// Index and value of the largest probability.
pub fn argmax(p: &[f32; K]) -> (usize, f32) {
    let mut best = 0;
    for k in 1..K {
        if p[k] > p[best] {
            best = k;
        }
    }
    (best, p[best])
}

fn softmax(z: [f32; K]) -> [f32; K] {
    let m = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut e = z.map(|v| (v - m).exp());
    let s: f32 = e.iter().sum();
    e.iter_mut().for_each(|v| *v /= s);
    e
}

/// Per-class symmetric 8-bit quantisation: (codes, scale per class).
pub fn quantise(w: &[f32]) -> (Vec<i8>, [f32; K]) {
    let mut scales = [0f32; K];
    for (i, v) in w.iter().enumerate() {
        scales[i % K] = scales[i % K].max(v.abs());
    }
    let scales = scales.map(|m| if m > 0.0 { m / 127.0 } else { 1.0 });
    let q = w
        .iter()
        .enumerate()
        .map(|(i, v)| (v / scales[i % K]).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (q, scales)
}

/// Inverse of [`quantise`].
pub fn dequantise(q: &[i8], scales: &[f32; K]) -> Vec<f32> {
    q.iter()
        .enumerate()
        .map(|(i, &c)| f32::from(c) * scales[i % K])
        .collect()
}

/// SplitMix64: a small deterministic generator for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Trains on raw feature counts with labels (class indices): IDF from these documents,
/// then SGD on the multinomial logistic loss with L2 (step 1/(λ(t+t0)), lazy scaling),
/// returning the average of the weights at the end of each pass of the second half.
pub fn train(counts: &[&Counts], labels: &[usize], params: TrainParams) -> Classifier {
    let df = features::document_frequencies(counts.iter().copied());
    let idf = features::idf_from_df(&df, counts.len());
    let xs: Vec<Sparse> = counts.iter().map(|c| features::weigh(c, &idf)).collect();
    let lambda = f64::from(params.lambda);
    let mut v = vec![0f32; DIM * K];
    let mut scale = 1.0f64;
    let mut bias = [0f32; K];
    let mut order: Vec<usize> = (0..xs.len()).collect();
    let mut rng = Rng(params.seed);
    // t0 such that the first step is 1 (inputs have unit norm).
    let t0 = 1.0 / lambda;
    let mut t = 0f64;
    let mut avg = vec![0f64; DIM * K];
    let mut avg_bias = [0f64; K];
    let mut snapshots = 0u32;
    for epoch in 0..params.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let eta = 1.0 / (lambda * (t + t0));
            t += 1.0;
            scale *= 1.0 - eta * lambda;
            let x = &xs[i];
            let mut z = bias;
            for &(b, val) in x {
                let row = &v[b as usize * K..b as usize * K + K];
                for k in 0..K {
                    z[k] += (f64::from(row[k]) * scale) as f32 * val;
                }
            }
            let p = softmax(z);
            let mut g = p;
            g[labels[i]] -= 1.0;
            let step = (eta / scale) as f32;
            for &(b, val) in x {
                let row = &mut v[b as usize * K..b as usize * K + K];
                for k in 0..K {
                    row[k] -= step * g[k] * val;
                }
            }
            for k in 0..K {
                bias[k] -= (eta as f32) * g[k];
            }
            if scale < 1e-6 {
                v.iter_mut()
                    .for_each(|w| *w = (f64::from(*w) * scale) as f32);
                scale = 1.0;
            }
        }
        if epoch >= params.epochs / 2 {
            for (a, w) in avg.iter_mut().zip(&v) {
                *a += f64::from(*w) * scale;
            }
            for k in 0..K {
                avg_bias[k] += f64::from(bias[k]);
            }
            snapshots += 1;
        }
    }
    if snapshots > 0 {
        let n = f64::from(snapshots);
        let weights = avg.iter().map(|a| (a / n) as f32).collect();
        let bias = avg_bias.map(|b| (b / n) as f32);
        return Classifier { idf, weights, bias };
    }
    let weights = v.iter().map(|w| (f64::from(*w) * scale) as f32).collect();
    Classifier { idf, weights, bias }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> (Vec<Counts>, Vec<usize>) {
        let sport = "فاز الفريق بالمباراة وسجل المهاجم هدفين في الدوري وتأهل النادي للنهائي";
        let econ = "ارتفعت اسعار النفط وتراجعت البورصة وقال البنك المركزي ان التضخم والاسواق";
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..6 {
            let extra = ["اليوم", "امس", "الاسبوع", "الشهر", "العام", "الليله"][i];
            for (text, label) in [(sport, 4), (econ, 1)] {
                let body = format!("{text} {extra}");
                xs.push(
                    features::counts(Text {
                        title: "",
                        body: &body,
                    })
                    .0,
                );
                ys.push(label);
            }
        }
        (xs, ys)
    }

    #[test]
    fn learns_separable_classes_deterministically() {
        let (xs, ys) = toy();
        let refs: Vec<&Counts> = xs.iter().collect();
        let a = train(&refs, &ys, TrainParams::default());
        let b = train(&refs, &ys, TrainParams::default());
        assert_eq!(a, b, "same data and seed, same model");
        let p = a.predict(Text {
            title: "المهاجم يسجل",
            body: "سجل المهاجم هدفين في المباراة وفاز الفريق في الدوري",
        });
        assert_eq!(p.section, Some(Section::Sport));
        let p = a.quantised().predict(Text {
            title: "",
            body: "قال البنك المركزي ان التضخم ارتفع مع اسعار النفط والبورصة",
        });
        assert_eq!(p.section, Some(Section::Economy));
    }

    #[test]
    fn too_little_arabic_is_not_classified() {
        let (xs, ys) = toy();
        let refs: Vec<&Counts> = xs.iter().collect();
        let c = train(&refs, &ys, TrainParams::default());
        for body in [
            "",
            "The match was won by the home team in the final minute.",
            "هدف",
        ] {
            let p = c.predict(Text { title: "", body });
            assert_eq!(p.section, None, "{body}");
        }
    }

    #[test]
    fn quantisation_round_trips_closely() {
        let w: Vec<f32> = (0..K * 50).map(|i| ((i as f32) * 0.37).sin()).collect();
        let (q, s) = quantise(&w);
        let back = dequantise(&q, &s);
        for (a, b) in w.iter().zip(&back) {
            assert!((a - b).abs() <= 1.0 / 127.0 + 1e-6);
        }
    }
}
