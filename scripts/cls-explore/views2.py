import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *
import pickle
D=load(); V,y,f=pickle.load(open(WORK+'/views.pkl','rb'))
ident=lambda x:x
def bigr(ts): return ts+[a+' '+b for a,b in zip(ts,ts[1:])]
# lead = first paragraph terms (analyzer terms aren't per paragraph; approximate by first N terms of first paragraph length)
import subprocess
leadn=[]
for d in D:
    paras=[p for p in d['bnorm'].split('\n') if p.strip()]
    first=paras[0] if paras else ''
    nw=len(first.split())
    leadn.append(d['bterms'][:max(15,int(nw*0.75))])
V['tb']=CountVectorizer(analyzer=ident).fit_transform([bigr(d['tterms']) for d in D])
V['ld']=CountVectorizer(analyzer=ident).fit_transform([bigr(t) for t in leadn])
# gazetteer region features
arab={'AE','BH','DZ','EG','IQ','JO','KW','LB','LY','MA','OM','PS','QA','SA','SD','SY','TN','YE','MR','SO','DJ','KM','EH'}
me_extra={'IR','IL','TR'}
import re as _re
gaz={}
for line in open('data/gazetteer.tsv'):
    if line.startswith('#') or line.startswith('name'): continue
    c=line.rstrip('\n').split('\t')
    if len(c)<6: continue
    gaz[c[2]]=c[5]
arabtz={'Asia/Riyadh','Asia/Dubai','Asia/Baghdad','Asia/Damascus','Asia/Beirut','Asia/Amman','Asia/Kuwait','Asia/Qatar','Asia/Bahrain','Asia/Muscat','Asia/Aden','Africa/Cairo','Africa/Tripoli','Africa/Tunis','Africa/Algiers','Africa/Casablanca','Africa/Khartoum','Asia/Gaza','Asia/Hebron','Africa/Nouakchott','Africa/Mogadishu','Africa/Djibouti','Africa/El_Aaiun'}
metz={'Asia/Tehran','Asia/Jerusalem','Europe/Istanbul'}
def region(code):
    if code in arab or code in arabtz: return 'A'
    if code in me_extra or code in metz: return 'M'
    return 'O'
maxw=max(len(k.split()) for k in gaz)
def places(text):
    toks=text.split(); out=[]; i=0
    while i<len(toks):
        for L in range(min(maxw,len(toks)-i),0,-1):
            key=' '.join(toks[i:i+L])
            cand=[key]
            if L==1:
                t=toks[i]
                for p in ('وال','بال','لل','ال','و','ب','ل','ف'):
                    if t.startswith(p) and len(t)>len(p)+2: cand.append(t[len(p):])
            hit=next((c for c in cand if c in gaz),None)
            if hit: out.append(region(gaz[hit])); i+=L; break
        else: i+=1
    return out
def gfeat(d):
    toks=lambda s: _re.sub(r'[^\w\s]',' ',s)
    r={}
    for part,txt in (('T',d['tnorm']),('L',' '.join(d['bnorm'].split()[:60])),('B',d['bnorm'])):
        p=places(toks(txt)); n=len(p)
        for reg in 'AMO':
            c=p.count(reg); r[part+reg+'frac']=c/n if n else 0; r[part+reg+'any']=float(c>0)
        r[part+'first_'+(p[0] if p else 'N')]=1.0
    return r
from sklearn.feature_extraction import DictVectorizer
G=[gfeat(d) for d in D]
V['g']=DictVectorizer().fit_transform(G)
print(V['g'].shape, V['tb'].shape, V['ld'].shape)
pickle.dump((V,y,f), open(WORK+'/views.pkl','wb'))
