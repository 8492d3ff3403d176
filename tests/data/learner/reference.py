# Reference values for tests/unit/test_learner.c (sklearn 1.2.1, numpy 1.24.2):
#   cd tests/data/learner && /usr/bin/python3 reference.py
# Each fit is on StandardScaler-standardised features (population sd, as whybench does) and the
# coefficients are mapped back to the original scale. whybench's λ relates to sklearn's
# parameters as: Lasso(alpha=λ), Ridge(alpha=n·λ), LogisticRegression(C=1/(n·λ)).
import numpy as np
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.preprocessing import PolynomialFeatures

data = np.genfromtxt("linear.csv", delimiter=",", skip_header=1)
X, y, d = data[:, :4], data[:, 4], data[:, 5]
n = len(y)

def show(name, model, Z):
    mu, sd = Z.mean(axis=0), Z.std(axis=0)
    model.fit((Z - mu) / sd, d if isinstance(model, LogisticRegression) else y)
    coef = np.ravel(model.coef_) / sd
    b0 = float(np.ravel([model.intercept_])[0] - np.sum(coef * mu))
    print(name, "%.12f" % b0, " ".join("%.12f" % c for c in coef))

show("lasso_0.1", Lasso(alpha=0.1, tol=1e-14, max_iter=10**6), X)
show("ridge_0.05", Ridge(alpha=n * 0.05), X)
show("logistic_ridge_0.02", LogisticRegression(C=1 / (n * 0.02), tol=1e-14, max_iter=10**5), X)
Zi = PolynomialFeatures(degree=2, interaction_only=True, include_bias=False).fit_transform(X)
show("lasso_interactions_0.05", Lasso(alpha=0.05, tol=1e-14, max_iter=10**6), Zi)
show("ols", LinearRegression(), X)
show("logistic", LogisticRegression(penalty=None, tol=1e-14, max_iter=10**5), X)
