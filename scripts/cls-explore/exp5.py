import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp4 import *
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.naive_bayes import ComplementNB
g=mfeats(base)
def inner_scores(idx, test_idx):
    # OOF decision scores on idx (4-fold inside idx), and scores of test_idx from a model on all of idx
    oof=np.zeros((len(idx),6)); inner=np.arange(len(idx))%4
    for j in range(4):
        a,b=g(idx[inner!=j], idx[inner==j])
        oof[inner==j]=LinearSVC(C=0.5).fit(a,y[idx[inner!=j]]).decision_function(b)
    a,b=g(idx,test_idx)
    return oof, LinearSVC(C=0.5).fit(a,y[idx]).decision_function(b)
res={}
for nm in ('stack-svc+style-svd+gaz HGB','stack-svc only HGB','stack-svc+gaz HGB'):
    res[nm]=np.zeros(len(y),int)
t=time.time()
for k in range(5):
    tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
    o1,o2=inner_scores(tr,te)
    s1,s2=block(['s'],tr,te); svd=TruncatedSVD(20,random_state=0).fit(s1)
    z1=svd.transform(s1); z2=svd.transform(s2)
    G=V['g'].toarray(); g1=G[tr]; g2=G[te]
    for nm,(A,B) in {'stack-svc+style-svd+gaz HGB':(np.hstack([o1,z1,g1]),np.hstack([o2,z2,g2])),
                     'stack-svc only HGB':(o1,o2),'stack-svc+gaz HGB':(np.hstack([o1,g1]),np.hstack([o2,g2]))}.items():
        m=HistGradientBoostingClassifier(max_iter=200,learning_rate=0.05,max_leaf_nodes=15,random_state=0).fit(A,y[tr])
        res[nm][te]=m.predict(B)
    print('fold',k,time.time()-t,flush=True)
for nm,p in res.items(): report(nm,y,p,f)
