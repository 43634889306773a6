import json, re, numpy as np, scipy.sparse as sp
import os
WORK=os.environ.get("CLS_WORK","/tmp/cls")
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.metrics import accuracy_score, f1_score
M=(1<<64)-1
def rotl(x,r): return ((x<<r)|(x>>(64-r)))&M
def folds(n,k=5):
    order=sorted(range(n), key=lambda i: rotl((i*0x9e3779b97f4a7c15)&M,17))
    f=np.zeros(n,int)
    for pos,i in enumerate(order): f[i]=pos%k
    return f
CLASSES=["culture","economy","internationalNews","middleEast","sport","technology"]
def load(path=WORK+"/dev_terms.jsonl"):
    return [json.loads(l) for l in open(path)]
def skeleton(body,mx=300):
    out=[];last=None
    for c in body:
        if '\u0621'<=c<='\u064a': c='a'
        elif c.isascii() and c.isdigit(): c='9'
        elif c.isspace(): c=' '
        else: c=c.lower()
        if c in 'a9 ' and last==c: continue
        if len(out)==mx: break
        out.append(c); last=c
    return ''.join(out)
def plain(s): return ' '.join(s.split()).lower()
def style_text(body):
    paras=[p for p in body.split('\n') if p.strip()]
    first=plain(paras[0])[:60] if paras else ''
    last=plain(paras[-1]) if paras else ''
    last=last[-60:]
    return skeleton(body), '^'+first, last+'$'
def report(name, y, pred, f):
    acc=accuracy_score(y,pred); mf=f1_score(y,pred,average='macro')
    pf=[accuracy_score(y[f==k],pred[f==k]) for k in range(5)]
    print(f"{name}: acc {acc:.4f} mF1 {mf:.4f} folds {' '.join(f'{x:.3f}' for x in pf)}", flush=True)
    return acc,mf
