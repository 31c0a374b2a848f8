#!/usr/bin/env python3
"""Build crates/marsad-text/data/vocab.txt.gz: Arabic word forms attested in a news corpus.

The clitic analyser uses attestation to decide whether a leading `و`/`ب`/`ل`... is a clitic
(`وقال` -> `و` + `قال`, because `قال` is a word and `الوقال` is not) or part of the word
(`وزير`, because `الوزير` is attested). Only word forms and their counts are kept, never text.

Source: ANT corpus v2.1 and v1.1 (Apache-2.0, Chouigui et al., AJSE 2021), via ../shared/corpus.
Usage: python3 scripts/build_vocab.py [../shared/corpus] > /dev/null
"""
import collections, gzip, json, re, sys, os

corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus')
MIN_COUNT = 5
DROP = re.compile('[\u064b-\u065f\u0670\u0640\u0610-\u061a\u06d6-\u06ed\u200b-\u200f\u061c\ufeff]')
TABLE = str.maketrans({'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه', 'ی': 'ي', 'ک': 'ك'})
WORD = re.compile('[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+')
counts = collections.Counter()
for name in ('ant-multisource.jsonl.gz', 'ant-jawhara.jsonl.gz'):
    with gzip.open(os.path.join(corpus, name), 'rt', encoding='utf-8') as f:
        for line in f:
            d = json.loads(line)
            t = DROP.sub('', (d.get('title') or '') + ' ' + (d.get('text') or '')).translate(TABLE)
            counts.update(WORD.findall(t))
words = sorted(w for w, c in counts.items() if c >= MIN_COUNT and len(w) >= 2)
out = os.path.join(os.path.dirname(__file__), '..', 'crates', 'marsad-text', 'data', 'vocab.txt.gz')
with gzip.GzipFile(out, 'wb', mtime=0) as g:
    g.write(('\n'.join(words) + '\n').encode('utf-8'))
print(len(words), 'forms written to', out, file=sys.stderr)
