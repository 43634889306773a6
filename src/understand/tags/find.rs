//! The finders of the tagger, in the order they claim words: attached prefixes folded,
//! then places from the gazetteer, people after titles, organisations and places after
//! kind words, quotations, and salient phrases.

use rustc_hash::FxHashSet;

use super::names::{common_noun_after_name, looks_like_verb, plural_or_abstract};
use super::seq::Seq;
use super::words::strip_proclitic;
use super::*;

impl Tagger {
    /// Folds one attached و, ف, ب, ل or ك before a name (لترامب, وصلاح → ترامب, صلاح).
    /// The word without it must be a short stop word (بهذه), or have four letters or more
    /// and be at least as common in the corpus while occurring in the article as it is, or
    /// be far more common in the corpus. لبنان, بوتين and فادي keep their first letter
    /// (بنان and وتين are rarer than the names, ادي is too short to tell), and so do
    /// abstract nouns and adjectives (بحرية, فعالية), which are not names.
    pub(super) fn fold_prefixes(&self, seq: &mut Seq) {
        let present: FxHashSet<String> = seq.words.iter().map(|w| w.key.clone()).collect();
        for w in &mut seq.words {
            let Some(rest) = strip_proclitic(&w.key).filter(|_| !w.clitic) else {
                continue;
            };
            let letters = rest.chars().count();
            let fold = (letters <= 3 && stopwords::is_stopword(rest))
                || (letters >= 4 && !rest.starts_with("ال") && !rest.ends_with("يه") && {
                    let (word_frac, rest_frac) = (self.frac(&w.key), self.frac(rest));
                    (present.contains(rest) && rest_frac >= 2.0 * word_frac)
                        || rest_frac >= 8.0 * word_frac + 0.001
                });
            // Cue words, stop words and places keep their letters (ولي, بنك, لبنان).
            if fold
                && !stopwords::is_stopword(&w.key)
                && !cues::is_person_title(&w.key)
                && !cues::is_organisation_kind(&w.key)
                && !cues::is_place_kind(&w.key)
                && self.gazetteer.lookup(&w.key).is_none()
            {
                w.key = rest.to_string();
                w.surface = w.surface.chars().skip(1).collect();
                w.clitic = true;
            }
        }
    }

    /// Gazetteer names, longest first.
    pub(super) fn places(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut i = 0;
        while i < seq.len() {
            let mut step = 1;
            for n in (1..=MAX_WORDS).rev() {
                if !seq.free_run(i, n) {
                    continue;
                }
                let key = seq.keys(i, n).join(" ");
                if let Some(p) = self.gazetteer.lookup(&key) {
                    let idf = self.corpus.idf(&p.slug);
                    add(cands, &p.slug, Kind::Place, &p.name, seq.weight[i], idf);
                    seq.used[i..i + n].iter_mut().for_each(|u| *u = true);
                    step = n;
                    break;
                }
            }
            i += step;
        }
    }

    /// Names after a title: المشير خليفة حفتر, وزير الخارجية الأمريكي مايك بومبيو.
    pub(super) fn people(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for i in 0..seq.len() {
            if !cues::is_person_title(seq.key(i)) {
                continue;
            }
            let mut j = i + 1;
            // Descriptors between title and name: الخارجية, الأمريكي (a claimed nisba).
            while j < seq.len()
                && j <= i + 3
                && seq.words[j].joined
                && (seq.used[j]
                    || seq.key(j).starts_with("ال")
                    || cues::is_person_title(seq.key(j)))
            {
                j += 1;
            }
            let start = j;
            let mut chained = false;
            while j < seq.len() && j < start + 3 && seq.words[j].joined && !seq.used[j] {
                let k = seq.key(j);
                let first = j == start;
                let after_particle = !first && cues::is_name_particle(seq.key(j - 1));
                let limit = if first {
                    FIRST_NAME_FRACTION
                } else {
                    NAME_FRACTION
                };
                // A family name too common for the limit that nearly always follows this
                // first name in the corpus is still a name: دونالد ترامب, بشار الأسد.
                let collocated = !first && self.collocated(seq.key(j - 1), k);
                // After a name has begun, يـ/تـ words are almost always verbs (بوتين يستقبل,
                // but not دونالد ترامب) and some nouns only follow it (ماكرون الوساطة); a
                // plural or abstract noun cannot begin it (قيادات).
                // After a pair the corpus knows (دونالد ترمب) only another such pair goes on
                // (جان كلود يونكر): not «دونالد ترمب خسر».
                let not_a_name = if first {
                    plural_or_abstract(k)
                } else {
                    ((looks_like_verb(k) || chained) && !collocated)
                        || common_noun_after_name(k)
                        || self.attached(k, 3)
                };
                let ok = !not_a_name
                    && !seq.words[j].clitic
                    && self.usable(k)
                    && !cues::is_person_title(k)
                    && !cues::is_kind_word(k)
                    && (!k.starts_with("ال")
                        || after_particle
                        || (!first && (self.frac(k) < NAME_FRACTION || collocated)))
                    && (self.frac(k) < limit
                        || collocated
                        || cues::is_name_particle(k)
                        || after_particle);
                if !ok {
                    break;
                }
                j += 1;
                chained = collocated;
            }
            while j > start && cues::is_name_particle(seq.key(j - 1)) {
                j -= 1;
            }
            let n = j - start;
            // After a sports title one word is usually the club: لاعب أرسنال.
            let single_ok = !cues::is_sports_title(seq.key(i));
            if n >= 2 || (n == 1 && single_ok && self.frac(seq.key(start)) < GENERIC_FRACTION) {
                found.push((start, n));
            }
        }
        for (start, n) in found {
            if seq.used[start..start + n].iter().any(|&u| u) && !seq.free_run(start, n) {
                continue;
            }
            let keys = seq.keys(start, n);
            let name = seq.surface(start, n);
            let slug = keys.join(" ");
            let mut count = seq.claim_all(&keys);
            if n >= 2 {
                // Later mentions by family name: حفتر.
                let common =
                    |k: &String| self.frac(k) >= NAME_FRACTION && !self.collocated(&keys[n - 2], k);
                if let Some(last) = keys.last().filter(|k| !common(k)) {
                    count += seq.claim_all(std::slice::from_ref(last));
                }
            }
            let idf = self.corpus.idf(keys.last().map_or("", String::as_str));
            add(cands, &slug, Kind::Person, &name, count, idf);
        }
    }

    /// Names after a kind word: وكالة «سبوتنيك» (organisation), مدينة بنغازي (place).
    pub(super) fn named_after_kind(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut found: Vec<(usize, usize, Kind)> = Vec::new();
        for i in 0..seq.len().saturating_sub(1) {
            let k = seq.key(i);
            let kind = if cues::is_organisation_kind(k) {
                Kind::Organisation
            } else if cues::is_place_kind(k) {
                Kind::Place
            } else {
                continue;
            };
            let j = i + 1;
            let next = &seq.words[j];
            let n = match next.quote {
                Some(q) if seq.words[i].quote != Some(q) => {
                    let n = (j..seq.len())
                        .take_while(|&m| seq.words[m].quote == Some(q))
                        .count();
                    if n > MAX_WORDS {
                        continue;
                    }
                    n
                }
                // An unquoted feminine nisba is an adjective: منظمة إرهابية.
                _ if next.joined
                    && !next.key.starts_with("ال")
                    && !next.key.ends_with("يه")
                    && self.frac(&next.key) < GENERIC_FRACTION =>
                {
                    1
                }
                _ => continue,
            };
            if seq.free_run(j, n) && (j..j + n).all(|m| self.usable(seq.key(m))) {
                found.push((j, n, kind));
            }
        }
        for (j, n, kind) in found {
            if !seq.free_run(j, n) {
                continue;
            }
            let keys = seq.keys(j, n);
            let name = seq.surface(j, n);
            let count = seq.claim_all(&keys);
            let idf = self.corpus.idf(&keys.join(" "));
            add(cands, &keys.join(" "), kind, &name, count, idf);
        }
    }

    /// Short quotations of rare words: «فيسبوك».
    pub(super) fn quotations(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        let mut i = 0;
        while i < seq.len() {
            let Some(q) = seq.words[i].quote else {
                i += 1;
                continue;
            };
            let n = (i..seq.len())
                .take_while(|&m| seq.words[m].quote == Some(q))
                .count();
            let keys = seq.keys(i, n);
            if n <= 3
                && seq.free_run(i, n)
                && keys.iter().all(|k| self.usable(k))
                && keys.iter().any(|k| self.frac(k) < GENERIC_FRACTION)
            {
                let name = seq.surface(i, n);
                let count = seq.claim_all(&keys);
                let idf = self.corpus.idf(&keys.join(" "));
                add(
                    cands,
                    &self.topic_slug(&keys),
                    Kind::Topic,
                    &name,
                    count * 1.2,
                    idf,
                );
            }
            i += n;
        }
    }

    /// Frequent in the article, rare in the corpus: bigrams first, then single words.
    pub(super) fn salient(&self, seq: &mut Seq, cands: &mut Vec<(String, Cand)>) {
        for n in [2usize, 1] {
            let mut counts: HashMap<Vec<String>, (f32, usize, u32)> = HashMap::new();
            for i in 0..seq.len() {
                if seq.free_run(i, n)
                    && (i..i + n).all(|j| self.usable(seq.key(j)))
                    && (n == 1 || !(i..i + n).any(|j| looks_like_verb(seq.key(j))))
                {
                    let e = counts.entry(seq.keys(i, n)).or_insert((0.0, i, 0));
                    e.0 += seq.weight[i];
                    e.2 += 1;
                }
            }
            let mut list: Vec<(Vec<String>, f32, usize)> = counts
                .into_iter()
                .filter(|(keys, (c, _, occurrences))| {
                    *c >= 2.0
                        && *occurrences >= 2
                        // A preposition on a commoner word (بتصوير, لإطلاق) is a phrase,
                        // not a topic; names with those letters (بوتين) are the commoner.
                        && !(n == 1 && self.attached(&keys[0], 4))
                        && self.frac(&keys.join(" ")) < GENERIC_FRACTION
                        && (n == 1 || keys.iter().any(|k| self.frac(k) < GENERIC_FRACTION))
                })
                .map(|(k, (c, i, _))| (k, c, i))
                .collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            for (keys, _, i) in list {
                let name = seq.surface(i, n);
                let count = seq.claim_all(&keys);
                if count < 2.0 {
                    continue;
                }
                let idf = self.corpus.idf(&keys.join(" "));
                add(
                    cands,
                    &self.topic_slug(&keys),
                    Kind::Topic,
                    &name,
                    count,
                    idf,
                );
            }
        }
    }
}
