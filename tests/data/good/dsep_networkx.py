# Reference d-separation answers for tests/unit/test_identify.c, from networkx.
# Regenerate with:  python3 tests/data/good/dsep_networkx.py > tests/data/good/dsep_networkx.txt
# (Debian python3-networkx; the project itself never runs Python.)
import random
import networkx as nx

sep = getattr(nx, "is_d_separator", None) or nx.d_separated
rng = random.Random(20261201)
print("# networkx %s, random DAGs (12 nodes, edge probability 0.25, seed 20261201)" % nx.__version__)
print("# dag: edges a>b; query: x y z1,z2,... separated(0/1)")
for d in range(25):
    n = 12
    order = list(range(n))
    rng.shuffle(order)
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < 0.25:
                g.add_edge(order[i], order[j])
    print("dag " + " ".join("%d>%d" % e for e in sorted(g.edges())))
    for q in range(12):
        x, y = rng.sample(range(n), 2)
        rest = [v for v in range(n) if v not in (x, y)]
        z = sorted(rng.sample(rest, rng.randint(0, 4)))
        s = sep(g, {x}, {y}, set(z))
        print("q %d %d %s %d" % (x, y, ",".join(map(str, z)) or "-", int(s)))
