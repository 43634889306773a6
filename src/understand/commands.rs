//! The understanding commands: `train sections`, `classify`, `eval sections`. Records are
//! read with the import reader and cleaned as import cleans them, so training, evaluation
//! and import see the same text.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Context;

use crate::ingest::boilerplate::Boilerplate;
use crate::ingest::jsonl::{LineReader, MAX_LINE_BYTES, parse_record};
use crate::ingest::prepare;
use crate::model::{Article, Section};

use super::Understanding;
use super::classify::{self, CLASSES, TrainParams};
use super::corpus::CorpusStats;
use super::features::{self, Counts, Text};
use super::metrics::Confusion;
use super::model_file::{self, ModelData};
use super::tags::words::corpus_keys;

/// A cleaned record with its own `category` (when it has a known one).
pub struct Record {
    pub article: Article,
    pub category: Option<Section>,
}

/// Reads and cleans the records of a JSON Lines file; bad lines are reported on stderr and
/// skipped.
pub fn read_records(path: &Path) -> anyhow::Result<Vec<Record>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let boilerplate = Boilerplate::default();
    let mut out = Vec::new();
    let mut skipped = 0usize;
    for line in LineReader::new(BufReader::new(file), MAX_LINE_BYTES) {
        let (no, bytes) = line.with_context(|| format!("reading {}", path.display()))?;
        let bytes = match bytes {
            Ok(b) if b.iter().all(u8::is_ascii_whitespace) => continue,
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}:{no}: {e}", path.display());
                skipped += 1;
                continue;
            }
        };
        let parsed = parse_record(&bytes).and_then(|inc| {
            let category = inc.category.as_deref().and_then(Section::parse);
            prepare(inc, "local", &boilerplate).map(|article| Record { article, category })
        });
        match parsed {
            Ok(r) => out.push(r),
            Err(e) => {
                eprintln!("{}:{no}: {e}", path.display());
                skipped += 1;
            }
        }
    }
    if skipped > 0 {
        eprintln!("{}: {skipped} records skipped", path.display());
    }
    Ok(out)
}

fn class_index(s: Section) -> usize {
    CLASSES.iter().position(|&c| c == s).unwrap_or(0)
}

/// Feature counts and corpus keys of labelled records, computed on both cores.
fn prepare_examples(records: &[Record]) -> (Vec<Counts>, Vec<usize>, Vec<Vec<String>>) {
    let labelled: Vec<&Record> = records.iter().filter(|r| r.category.is_some()).collect();
    let work = |chunk: &[&Record]| -> Vec<(Counts, Vec<String>)> {
        chunk
            .iter()
            .map(|r| {
                let (title, body) = features::article_text(&r.article);
                let counts = features::counts(Text {
                    title: &title,
                    body: &body,
                })
                .0;
                (counts, corpus_keys(&format!("{title}\n{body}")))
            })
            .collect()
    };
    let half = labelled.len() / 2;
    let (a, b) = std::thread::scope(|s| {
        let h = s.spawn(|| work(&labelled[half..]));
        let a = work(&labelled[..half]);
        (a, h.join().unwrap_or_default())
    });
    let labels = labelled
        .iter()
        .map(|r| r.category.map_or(0, class_index))
        .collect();
    let (counts, keys) = a.into_iter().chain(b).unzip();
    (counts, labels, keys)
}

/// Deterministic fold of each example (seeded shuffle, then round robin).
fn folds(n: usize, k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    // A fixed multiplicative permutation is enough to mix the id-sorted input.
    order.sort_by_key(|&i| {
        (i as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(17)
    });
    let mut fold = vec![0; n];
    for (pos, &i) in order.iter().enumerate() {
        fold[i] = pos % k;
    }
    fold
}

/// `sahifa train sections`: trains on `data`, writes the model to `out`, and with `cv`
/// first prints 5-fold cross-validation figures.
pub fn train_sections(data: &Path, out: &Path, cv: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let records = read_records(data)?;
    let (counts, labels, keys) = prepare_examples(&records);
    anyhow::ensure!(
        counts.len() >= 10,
        "{}: only {} records with a known `category`; need at least 10 to train",
        data.display(),
        counts.len()
    );
    eprintln!(
        "{} labelled records, features in {:.1}s",
        counts.len(),
        started.elapsed().as_secs_f64()
    );
    let params = TrainParams::default();
    if cv {
        let fold = folds(counts.len(), 5);
        let mut total = Confusion::default();
        let mut confident = Confusion::default();
        let mut per_fold = Vec::new();
        for f in 0..5 {
            let mut this_fold = Confusion::default();
            let train_idx: Vec<usize> = (0..counts.len()).filter(|&i| fold[i] != f).collect();
            let refs: Vec<&Counts> = train_idx.iter().map(|&i| &counts[i]).collect();
            let ys: Vec<usize> = train_idx.iter().map(|&i| labels[i]).collect();
            let model = classify::train(&refs, &ys, params).quantised();
            for i in (0..counts.len()).filter(|&i| fold[i] == f) {
                let p = model.predict_vector(&features::weigh(&counts[i], &model.idf));
                let pred = p.section.map(class_index);
                total.add(labels[i], pred);
                this_fold.add(labels[i], pred);
                confident.add(labels[i], pred.filter(|_| p.confidence >= super::THRESHOLD));
            }
            per_fold.push(format!("{:.4}", this_fold.accuracy()));
        }
        println!("5-fold cross-validation on {}:\n{total}", data.display());
        println!("accuracy per fold: {}", per_fold.join(" "));
        println!(
            "with the confidence threshold {:.2}: {:.1}% classified, accuracy among them {:.4}",
            super::THRESHOLD,
            100.0 * f64::from(confident.total() - confident.unclassified.iter().sum::<u32>())
                / f64::from(confident.total().max(1)),
            accuracy_of_classified(&confident),
        );
    }
    let refs: Vec<&Counts> = counts.iter().collect();
    let classifier = classify::train(&refs, &labels, params);
    let mut corpus = CorpusStats::default();
    for k in &keys {
        corpus.add_document(k.iter().map(String::as_str));
    }
    let bytes = model_file::write(&ModelData { classifier, corpus })?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {} ({:.2} MB) in {:.1}s",
        out.display(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn accuracy_of_classified(c: &Confusion) -> f64 {
    let classified: u32 = c.m.iter().flatten().sum();
    let correct: u32 = (0..classify::K).map(|k| c.m[k][k]).sum();
    if classified == 0 {
        0.0
    } else {
        f64::from(correct) / f64::from(classified)
    }
}

/// `sahifa classify`: one line per record.
pub fn classify_file(u: &Understanding, file: &Path, json: bool) -> anyhow::Result<()> {
    let records = read_records(file)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for r in &records {
        let (section, confidence) = u.section_of(&r.article);
        let a = &r.article;
        if json {
            let line = serde_json::json!({
                "id": a.id,
                "source": a.source,
                "section": section.map(Section::slug),
                "confidence": (f64::from(confidence) * 1e4).round() / 1e4,
            });
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{confidence:.3}",
                a.source,
                a.id,
                section.map_or("unclassified", Section::slug)
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `sahifa eval sections`: the model's sections against the records' own `category`.
pub fn eval_sections(u: &Understanding, file: &Path) -> anyhow::Result<()> {
    let records = read_records(file)?;
    let mut all = Confusion::default();
    let mut thresholded = Confusion::default();
    for r in &records {
        let Some(truth) = r.category else { continue };
        let p = u.predict(&r.article);
        let pred = p.section.map(class_index);
        all.add(class_index(truth), pred);
        thresholded.add(
            class_index(truth),
            pred.filter(|_| p.confidence >= super::THRESHOLD),
        );
    }
    anyhow::ensure!(
        all.total() > 0,
        "{}: no record has a known `category` to compare with",
        file.display()
    );
    println!("{}: top section of every record\n{all}", file.display());
    println!(
        "as shown (below confidence {:.2} counts as unclassified): accuracy {:.4}, macro-F1 {:.4}",
        super::THRESHOLD,
        thresholded.accuracy(),
        thresholded.macro_f1()
    );
    Ok(())
}
