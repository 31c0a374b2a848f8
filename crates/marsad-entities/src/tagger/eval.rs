//! Exact-span precision, recall and F1, as conlleval computes them.
//!
//! A span starts at `B-X`, or at `I-X` when the previous label is `O` or of
//! another class (conlleval's reading of ill-formed sequences), and ends
//! before the first label that does not continue it. A predicted span is
//! correct only if a gold span has the same start, end and class.

use super::{NerClass, NerLabel};

/// Counts and scores for one class (or overall).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassScores {
    /// Predicted spans that match a gold span exactly.
    pub correct: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Gold spans.
    pub gold: usize,
}

impl ClassScores {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        pct(self.correct, self.predicted)
    }

    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        pct(self.correct, self.gold)
    }

    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: &ClassScores) {
        self.correct += o.correct;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Scores of a whole evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// Per class, in [`NerClass::ALL`] order.
    pub per_class: [ClassScores; 4],
    /// All classes together.
    pub overall: ClassScores,
    /// Tokens compared.
    pub tokens: usize,
    /// Tokens whose label was right.
    pub correct_tokens: usize,
}

impl Scores {
    /// Scores of `class`.
    pub fn class(&self, class: NerClass) -> &ClassScores {
        &self.per_class[class as usize]
    }

    /// Token accuracy in percent.
    pub fn accuracy(&self) -> f64 {
        pct(self.correct_tokens, self.tokens)
    }
}

/// Entity spans `(start, end, class)` (token indices, end exclusive).
pub fn spans(labels: &[NerLabel]) -> Vec<(usize, usize, NerClass)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, NerClass)> = None;
    for (i, l) in labels.iter().enumerate() {
        let continues = matches!((l, open), (NerLabel::I(c), Some((_, o))) if *c == o);
        if continues {
            continue;
        }
        if let Some((s, c)) = open.take() {
            out.push((s, i, c));
        }
        if let NerLabel::B(c) | NerLabel::I(c) = l {
            open = Some((i, *c));
        }
    }
    if let Some((s, c)) = open {
        out.push((s, labels.len(), c));
    }
    out
}

/// Compare predicted with gold labels, sentence by sentence. Sentences of
/// different lengths are compared over their common prefix.
pub fn evaluate(gold: &[Vec<NerLabel>], pred: &[Vec<NerLabel>]) -> Scores {
    let mut s = Scores::default();
    for (g, p) in gold.iter().zip(pred) {
        let n = g.len().min(p.len());
        let (g, p) = (&g[..n], &p[..n]);
        s.tokens += n;
        s.correct_tokens += g.iter().zip(p).filter(|(a, b)| a == b).count();
        let gs = spans(g);
        let ps = spans(p);
        for &(_, _, c) in &gs {
            s.per_class[c as usize].gold += 1;
        }
        for sp in &ps {
            let c = &mut s.per_class[sp.2 as usize];
            c.predicted += 1;
            if gs.binary_search(sp).is_ok() {
                c.correct += 1;
            }
        }
    }
    let mut overall = ClassScores::default();
    for c in &s.per_class {
        overall.add(c);
    }
    s.overall = overall;
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use NerClass::*;
    use NerLabel::*;

    #[test]
    fn conlleval_spans() {
        let l = [B(Pers), I(Pers), O, I(Loc), I(Loc), B(Org), I(Misc)];
        assert_eq!(
            spans(&l),
            vec![(0, 2, Pers), (3, 5, Loc), (5, 6, Org), (6, 7, Misc)]
        );
    }

    #[test]
    fn exact_match_only() {
        let gold = vec![vec![B(Pers), I(Pers), O, B(Loc)]];
        let pred = vec![vec![B(Pers), O, O, B(Loc)]];
        let s = evaluate(&gold, &pred);
        assert_eq!(s.class(Pers).correct, 0);
        assert_eq!(s.class(Loc).correct, 1);
        assert_eq!(s.overall.gold, 2);
        assert_eq!(s.overall.predicted, 2);
        assert!((s.overall.f1() - 50.0).abs() < 1e-9);
    }
}
