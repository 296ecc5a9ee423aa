#!/usr/bin/env python3
# Medians of jring-bench CSV files (--output-format=csv), one table per call, as docs/benchmarks.md gives them:
# Kiops per engine/api and QD, and for engine/api the ratio to the same engine's raw run of the same invocation
# (the median of the per-invocation ratios, then each of them); then CPU (whole process) and heap bytes (all threads)
# per I/O. Usage: bench/api-medians.py run-1.csv run-2.csv ...
import csv, sys, statistics, collections
runs = collections.defaultdict(list)
for f in sys.argv[1:]:
    for row in csv.DictReader(open(f)):
        label = row['engine'] + ('' if row['api'] == 'raw' else '/' + row['api'])
        runs[(label, int(row['iodepth_requested']))].append(row)
labels = list(dict.fromkeys(k[0] for k in runs))
qds = sorted(set(k[1] for k in runs))
def kiops(r): return (float(r['read_iops']) + float(r['write_iops'])) / 1e3
def med(xs): return statistics.median(xs)
print('| QD | ' + ' | '.join(labels) + ' |')
for qd in qds:
    cells = []
    for l in labels:
        rs = runs.get((l, qd), [])
        if not rs: cells.append('-'); continue
        ks = [kiops(r) for r in rs]
        cell = '%.1f' % med(ks)
        eng = l.split('/')[0]
        if '/' in l and (eng, qd) in runs:
            # ratio per repeat (measured side by side in one invocation), then the median of the ratios
            raws = runs[(eng, qd)]
            ratios = [kiops(a) / kiops(b) for a, b in zip(rs, raws) if kiops(b) > 0]
            cell += ' (%.2fx; %s)' % (med(ratios), ' '.join('%.2f' % x for x in ratios))
        cells.append(cell)
    print('| %d | ' % qd + ' | '.join(cells) + ' |')
print()
print('| QD | ' + ' | '.join(l + ' cpu us/IO, B/IO' for l in labels) + ' |')
for qd in qds:
    cells = []
    for l in labels:
        rs = runs.get((l, qd), [])
        if not rs: cells.append('-'); continue
        cells.append('%.1f, %.0f' % (med([float(r['process_cpu_us_per_io']) for r in rs]),
                                     med([float(r['process_alloc_bytes_per_io']) for r in rs])))
    print('| %d | ' % qd + ' | '.join(cells) + ' |')
