# Reference minimal adjustment sets for tests/unit/test_identify.c, by brute force over all
# subsets with networkx's d-separation and Pearl's backdoor criterion (no descendant of X;
# d-separated from Y once X's outgoing edges are removed); minimal = no valid proper subset.
# Regenerate with:  python3 tests/data/good/msas_networkx.py > tests/data/good/msas_networkx.txt
from itertools import combinations
import random
import networkx as nx

sep = getattr(nx, "is_d_separator", None) or nx.d_separated
rng = random.Random(7)
print("# networkx %s, random DAGs (10 nodes, edge probability 0.3, seed 7)" % nx.__version__)
print("# dag: edges a>b; effect x y: minimal sets a,b|c|- (- = the empty set), none if none")
for d in range(30):
    n = 10
    order = list(range(n))
    rng.shuffle(order)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < 0.3:
                g.add_edge(order[i], order[j])
    print("dag " + " ".join("%d>%d" % e for e in sorted(g.edges())))
    for q in range(3):
        x, y = rng.sample(range(n), 2)
        if y in nx.ancestors(g, x):
            x, y = y, x
        bd = g.copy()
        bd.remove_edges_from(list(g.out_edges(x)))
        allowed = [v for v in range(n) if v not in (x, y) and v not in nx.descendants(g, x)]
        valid = []
        for k in range(len(allowed) + 1):
            for z in combinations(allowed, k):
                if any(set(v) <= set(z) for v in valid):
                    continue
                if sep(bd, {x}, {y}, set(z)):
                    valid.append(z)
        text = "|".join(",".join(map(str, z)) or "-" for z in sorted(valid, key=lambda z: (len(z), z)))
        print("effect %d %d %s" % (x, y, text or "none"))
