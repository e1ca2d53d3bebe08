#!/usr/bin/env python3
"""Seeded inputs of the command-benchmark evaluations, written into DIR: data.txt (~180 KB
of text, for xz) and lines.txt (200,000 random lines, for sort).

usage: scripts/seeded-inputs.py DIR
"""
import random
import sys

r = random.Random(1)
words = [''.join(r.choice('abcdefghij') for _ in range(r.randint(2, 9))) for _ in range(500)]
with open(f"{sys.argv[1]}/data.txt", "w") as f:
    f.write(' '.join(r.choice(words) for _ in range(30000)))
with open(f"{sys.argv[1]}/lines.txt", "w") as f:
    f.write('\n'.join(str(r.random()) for _ in range(200000)) + '\n')
