#!/usr/bin/env python3
"""Build crates/marsad-entities/data/ner-clusters.tsv: distributional word clusters for the NER tagger.

Words that occur in the same contexts (`فريق X`, `X يفوز`, `قال X`) land in the same cluster, so a
name the tagger never saw in ANERcorp (الترسانة, جوزيه) shares features with names it did see.
Method: counts of each word's left and right neighbour (top CONTEXTS words), positive PMI, a
randomized SVD to DIM dimensions, then spherical k-means at three granularities (K below).
Only word forms and cluster numbers are written, never text. Deterministic (fixed seeds).

Source: ANT corpus v2.1 (Apache-2.0, Chouigui et al., AJSE 2021), via ../shared/corpus.
Needs numpy. Usage: python3 scripts/build_ner_clusters.py [../shared/corpus]
"""
import collections, gzip, json, os, re, sys
import numpy as np

corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus')
VOCAB = 60000
CONTEXTS = 2000
DIM = 100
K = (64, 256, 1024)
DROP = re.compile('[\u064b-\u065f\u0670\u0640\u0610-\u061a\u06d6-\u06ed\u200b-\u200f\u061c\ufeff]')
TABLE = str.maketrans({'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ی': 'ي', 'ک': 'ك'})
TOKEN = re.compile('[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+|[0-9\u0660-\u0669]+|[A-Za-z]+|[^\\s]')

docs = []
counts = collections.Counter()
with gzip.open(os.path.join(corpus, 'ant-multisource.jsonl.gz'), 'rt', encoding='utf-8') as f:
    for line in f:
        d = json.loads(line)
        t = DROP.sub('', (d.get('title') or '') + '\n' + (d.get('text') or '')).translate(TABLE)
        toks = TOKEN.findall(t)
        docs.append(toks)
        counts.update(toks)
vocab = [w for w, _ in counts.most_common(VOCAB)]
wid = {w: i for i, w in enumerate(vocab)}
print('tokens', sum(counts.values()), 'vocab', len(vocab), file=sys.stderr)

V, C = len(vocab), CONTEXTS
keys = []
for toks in docs:
    ids = np.array([wid.get(w, -1) for w in toks], dtype=np.int64)
    if len(ids) < 2:
        continue
    a, b = ids[:-1], ids[1:]
    # right neighbour of a (context b < C), left neighbour of b (context a < C)
    m = (a >= 0) & (b >= 0) & (b < C)
    keys.append(a[m] * 2 * C + b[m])
    m = (a >= 0) & (b >= 0) & (a < C)
    keys.append(b[m] * 2 * C + C + a[m])
del docs
cooc = np.bincount(np.concatenate(keys), minlength=V * 2 * C).astype(np.float32)
del keys
M = cooc.reshape(V, 2 * C)
del cooc
total = M.sum()
pw = M.sum(axis=1, keepdims=True) / total
pc = (M.sum(axis=0, keepdims=True) / total) ** 0.75
pc /= pc.sum()
with np.errstate(divide='ignore', invalid='ignore'):
    P = np.log((M / total) / (pw * pc))
P[~np.isfinite(P)] = 0
P = np.maximum(P, 0).astype(np.float32)
del M
rng = np.random.default_rng(20070601)
G = rng.standard_normal((2 * C, DIM + 20)).astype(np.float32)
Q, _ = np.linalg.qr(P @ G)
for _ in range(2):
    Q, _ = np.linalg.qr(P @ (P.T @ Q))
B = Q.T @ P
Ub, S, _ = np.linalg.svd(B, full_matrices=False)
X = (Q @ Ub[:, :DIM]) * np.sqrt(S[:DIM])
X /= np.linalg.norm(X, axis=1, keepdims=True) + 1e-9
print('svd done', file=sys.stderr)


def kmeans(X, k, iters=15, seed=7):
    r = np.random.default_rng(seed)
    cent = X[r.choice(len(X), k, replace=False)].copy()
    for _ in range(iters):
        lab = np.empty(len(X), dtype=np.int64)
        for s in range(0, len(X), 8192):
            lab[s:s + 8192] = np.argmax(X[s:s + 8192] @ cent.T, axis=1)
        for j in range(k):
            m = lab == j
            if m.any():
                c = X[m].sum(axis=0)
                cent[j] = c / (np.linalg.norm(c) + 1e-9)
    return lab


labels = [kmeans(X, k) for k in K]
out = os.path.join(os.path.dirname(__file__), '..', 'crates', 'marsad-entities', 'data', 'ner-clusters.tsv')
with open(out, 'w', encoding='utf-8') as f:
    f.write('# Derived by scripts/build_ner_clusters.py from the ANT corpus v2.1 (Apache-2.0, Chouigui et al. 2021).\n')
    f.write('# word (search form)\\tcluster of %d\\tof %d\\tof %d\n' % K)
    for i in sorted(range(V), key=lambda i: vocab[i]):
        if '\t' in vocab[i] or '#' in vocab[i]:
            continue
        f.write('%s\t%d\t%d\t%d\n' % (vocab[i], labels[0][i], labels[1][i], labels[2][i]))
print('wrote', out, file=sys.stderr)
