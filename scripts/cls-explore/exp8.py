import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp4 import *
from sklearn.decomposition import TruncatedSVD
G=V['g'].toarray()
def run8(name, w, C=0.5):
    pred=np.zeros(len(y),int); t=time.time()
    g=mfeats(base)
    for k in range(5):
        tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
        a,b=g(tr,te)
        s1,s2=block(['s'],tr,te); svd=TruncatedSVD(20,random_state=0).fit(s1)
        z1=l2(svd.transform(s1)); z2=l2(svd.transform(s2))
        def outer(z,gg): return np.einsum('ni,nj->nij',z,gg).reshape(len(z),-1)
        o1=outer(z1,G[tr]); o2=outer(z2,G[te]); sc=np.linalg.norm(o1,axis=1).mean()
        A=sp.hstack([a,sp.csr_matrix(o1/sc*w)]).tocsr(); B=sp.hstack([b,sp.csr_matrix(o2/sc*w)]).tocsr()
        pred[te]=LinearSVC(C=C).fit(A,y[tr]).predict(B)
    return report(name+f" ({time.time()-t:.0f}s)", y, pred, f)
for w in (0.3,0.6): run8(f'base + style-SVD x gazetteer outer product w={w}', w)
