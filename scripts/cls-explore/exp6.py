import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp4 import *
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import HistGradientBoostingClassifier
g=mfeats(base)
def nbsvm_scores(a,ytr,b):
    ab=(a>0).astype(np.float64); S=np.zeros((b.shape[0],6))
    for c in range(6):
        pos=ab[ytr==c].sum(0).A1+1; neg=ab[ytr!=c].sum(0).A1+1
        R=sp.diags(np.log((pos/pos.sum())/(neg/neg.sum())))
        S[:,c]=LinearSVC(C=1).fit(a@R,(ytr==c).astype(int)).decision_function(b@R)
    return S
def inner(idx, test_idx):
    oof=np.zeros((len(idx),12)); tst=np.zeros((len(test_idx),12)); inn=np.arange(len(idx))%4
    for j in range(4):
        a,b=g(idx[inn!=j], np.concatenate([idx[inn==j],test_idx]))
        ytr=y[idx[inn!=j]]; nj=(inn==j).sum()
        s=np.hstack([LinearSVC(C=0.5).fit(a,ytr).decision_function(b), nbsvm_scores(a,ytr,b)])
        oof[inn==j]=s[:nj]; tst+=s[nj:]/4
    return oof,tst
names=['svc+nb HGB','svc+nb+svd+gaz HGB','svc+nb+svd+gaz LR','avg svc+nb argmax']
res={n:np.zeros(len(y),int) for n in names}; t=time.time()
from sklearn.linear_model import LogisticRegression
for k in range(5):
    tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
    o1,o2=inner(tr,te)
    s1,s2=block(['s'],tr,te); svd=TruncatedSVD(20,random_state=0).fit(s1)
    z1=svd.transform(s1); z2=svd.transform(s2); G=V['g'].toarray()
    hg=lambda: HistGradientBoostingClassifier(max_iter=200,learning_rate=0.05,max_leaf_nodes=15,random_state=0)
    res['svc+nb HGB'][te]=hg().fit(o1,y[tr]).predict(o2)
    A=np.hstack([o1,z1,G[tr]]); B=np.hstack([o2,z2,G[te]])
    res['svc+nb+svd+gaz HGB'][te]=hg().fit(A,y[tr]).predict(B)
    res['svc+nb+svd+gaz LR'][te]=LogisticRegression(C=1,max_iter=3000).fit(A,y[tr]).predict(B)
    res['avg svc+nb argmax'][te]=(o2[:,:6]+o2[:,6:]/np.abs(o2[:,6:]).mean()*np.abs(o2[:,:6]).mean()).argmax(1)
    print('fold',k,time.time()-t,flush=True)
for nm,p in res.items(): report(nm,y,p,f)
