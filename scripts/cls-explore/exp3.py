import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from exp1 import *
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
def aug_run(name, kc, C=0.5, wshared=1.0, wspec=1.0):
    pred=np.zeros(len(y),int); t=time.time(); 
    for k in range(5):
        tr=np.where(f!=k)[0]; te=np.where(f==k)[0]
        a,b=feats(tr,te)
        s1,s2=block(['s'],tr,te)
        svd=TruncatedSVD(50, random_state=0).fit(s1)
        z1=l2(svd.transform(s1)); z2=l2(svd.transform(s2))
        km=KMeans(kc, n_init=5, random_state=0).fit(z1)
        c1=km.predict(z1); c2=km.predict(z2)
        def aug(X,c):
            parts=[X*wshared]
            for j in range(kc):
                D=sp.diags((c==j).astype(float)); parts.append(D@X*wspec)
            return sp.hstack(parts).tocsr()
        m=LinearSVC(C=C).fit(aug(a,c1),y[tr]); pred[te]=m.predict(aug(b,c2))
    return report(name+f" ({time.time()-t:.0f}s)", y, pred, f)
if __name__=='__main__':
    for kc in (3,5,8):
        aug_run(f'aug style-kmeans k={kc}', kc)
