import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *
import pickle
D=load(); n=len(D)
y=np.array([CLASSES.index(d['category']) for d in D]); f=folds(n)
ident=lambda x:x
def bigr(ts): return ts+[a+' '+b for a,b in zip(ts,ts[1:])]
docs_w=[bigr(d['tterms'])+bigr(d['bterms']) for d in D]
docs_t=[d['tterms'] for d in D]
norm=[d['tnorm']+'\n'+d['bnorm'] for d in D]
sty=[style_text(d['body']) for d in D]
def cv(analyzer, docs, **kw):
    return CountVectorizer(analyzer=analyzer, **kw).fit_transform(docs)
V={}
V['w']=cv(ident, docs_w, min_df=1)
V['t']=cv(ident, docs_t)
V['c']=CountVectorizer(analyzer='char_wb', ngram_range=(3,4)).fit_transform([re.sub(r'\s+',' ',x) for x in norm])
def skgrams(t):
    s,h,e=t; out=[]
    for tag,x in (('s',s),('h',h),('e',e)):
        for k in (2,3,4):
            out+= [tag+x[i:i+k] for i in range(len(x)-k+1)]
    return out
V['s']=cv(skgrams, sty)
# extra views
V['c25']=CountVectorizer(analyzer='char', ngram_range=(2,5), min_df=2, max_features=300000).fit_transform([re.sub(r'\s+',' ',x) for x in norm])
V['lead']=cv(ident, [d['bterms'][:60] for d in D])
for k,v in V.items(): print(k, v.shape)
pickle.dump((V,y,f), open(WORK+'/views.pkl','wb'))
