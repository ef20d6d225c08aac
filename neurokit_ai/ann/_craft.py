"""CRAFT: concepts as NMF of non-negative activations, ranked by Sobol indices.

Fel et al. 2023 (papers.md section 10). Split a network ``f = h o g`` at a
layer with non-negative activations (after a ReLU). ``A = g(x)`` is factored
``A ~ U W`` with ``U, W >= 0``: rows of ``W`` are concepts (directions in the
layer), ``U`` says how much of each concept an input holds. For 4-D
activations ``(n, channels, height, width)`` every spatial location is one
row, so ``U`` at each location gives concept maps (the torch variant of the
paper's attribution maps). A concept's importance for a class is its total
Sobol index: concept coefficients are multiplied by random masks from a
quasi-Monte-Carlo design, the activations rebuilt and passed through ``h``,
and the Jansen estimator measures how much of the logit's variance each
concept's mask explains. :meth:`CRAFT.refine` runs the recursive step: the
inputs (locations) that express a concept most are factored again at an
earlier layer, giving its sub-concepts. :func:`image_crops` cuts the
sliding crops (resized back to the input size) that the paper factors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import DTypeError, Responses, ValidationError, check_array
from ..core._base import NeurokitTransformer, check_is_fitted
from ..core._validation import check_scalar
from ._activations import as_activation_matrix
from ._sobol import sobol_design, sobol_from_outputs

__all__ = ["CRAFT", "image_crops"]


def _as_array(x: Any, name: str) -> np.ndarray:
    """2-D (samples x units) or 4-D (samples x channels x height x width)."""
    if isinstance(x, Responses):
        return as_activation_matrix(x, name)[0]
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    return check_array(x, name, ndim=(2, 4))


def _check_non_negative(rows: np.ndarray) -> None:
    if rows.min() < 0:
        raise ValidationError(
            f"Negative values in data passed to CRAFT (X min {rows.min():.3g}); "
            "CRAFT factors non-negative activations: take them after a ReLU."
        )


def _rows(a: np.ndarray) -> np.ndarray:
    """Rows of the factorisation: one per sample, or per sample and location."""
    if a.ndim == 2:
        return a
    n, c, h, w = a.shape
    return a.transpose(0, 2, 3, 1).reshape(n * h * w, c)


class CRAFT(NeurokitTransformer):
    """Concept extraction by non-negative matrix factorisation of activations.

    Parameters
    ----------
    n_concepts : int
        Number of concepts (NMF rank).
    max_iter : int
        NMF iterations.
    tol : float
        NMF stopping tolerance.
    random_state : None or int
        Seed of the NMF initialisation and of the Sobol design.

    Attributes
    ----------
    components_ : ndarray, shape (n_concepts, n_units)
        The concept bank ``W`` (non-negative).
    codes_ : ndarray, shape (n_rows, n_concepts)
        ``U`` of the training rows (one per sample, or per sample and location).
    importances_ : ndarray, shape (n_concepts,)
        Total Sobol indices from the last :meth:`estimate_importance`.
    reconstruction_err_ : float
        ``||A - U W||_F`` on the training rows.
    n_iter_ : int
        Iterations the NMF ran.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> A = rng.random((60, 2)) @ rng.random((2, 5))
    >>> craft = CRAFT(2, random_state=0).fit(A)
    >>> craft.transform(A).shape, bool(craft.reconstruction_err_ < 1e-2)
    ((60, 2), True)
    """

    def __init__(
        self,
        n_concepts: int = 10,
        *,
        max_iter: int = 500,
        tol: float = 1e-4,
        random_state: int | None = None,
    ) -> None:
        self.n_concepts = n_concepts
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True
        return tags

    def fit(self, X: Any, y: Any = None) -> CRAFT:
        """Factor non-negative activations ``X`` (2-D, 4-D, tensor or Responses)."""
        from sklearn.decomposition import NMF

        check_scalar(self.n_concepts, "n_concepts", kind=int, min_val=1)
        check_scalar(self.max_iter, "max_iter", kind=int, min_val=1)
        if self.random_state is not None:
            check_scalar(self.random_state, "random_state", kind=int, min_val=0)
        check_scalar(self.tol, "tol", min_val=0.0)
        a = _rows(_as_array(X, "X"))
        _check_non_negative(a)
        if self.n_concepts > min(a.shape):
            raise ValidationError(
                f"n_concepts={self.n_concepts} exceeds min(n_rows, n_units)="
                f"{min(a.shape)}; use fewer concepts."
            )
        nmf = NMF(
            self.n_concepts,
            init="nndsvda",
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
        )
        self.codes_ = nmf.fit_transform(a)
        self.components_ = nmf.components_
        self._nmf = nmf
        self.n_features_in_ = a.shape[1]
        self.reconstruction_err_ = float(nmf.reconstruction_err_)
        self.n_iter_ = int(nmf.n_iter_)
        return self

    def transform(self, X: Any) -> np.ndarray:
        """Concept coefficients with the bank fixed.

        Each row solves the non-negative least-squares problem against
        ``components_`` iteratively (scikit-learn's NMF solver with the bank
        fixed), so results match an exact NNLS only to the solver's tolerance
        (``tol``).

        Returns ``(n, n_concepts)`` for 2-D input and concept maps
        ``(n, n_concepts, height, width)`` for 4-D input.
        """
        check_is_fitted(self, "components_")
        a = _as_array(X, "X")
        rows = _rows(a)
        if rows.shape[1] != self.n_features_in_:
            raise ValidationError(
                f"X has {rows.shape[1]} features, but CRAFT is expecting "
                f"{self.n_features_in_} features as input (units/channels of the "
                "layer it was fitted on)."
            )
        _check_non_negative(rows)
        u = self._nmf.transform(rows)
        if a.ndim == 2:
            return u
        n, _, h, w = a.shape
        return u.reshape(n, h, w, -1).transpose(0, 3, 1, 2)

    def inverse_transform(self, codes: Any) -> np.ndarray:
        """Activations ``codes @ components_`` (2-D codes or 4-D concept maps)."""
        check_is_fitted(self, "components_")
        u = check_array(codes, "codes", ndim=(2, 4))
        if u.shape[1] != self.n_concepts:
            raise ValidationError(
                f"codes has {u.shape[1]} concepts on axis 1, expected "
                f"{self.n_concepts}."
            )
        if u.ndim == 2:
            return u @ self.components_
        return np.einsum("nrhw,rc->nchw", u, self.components_)

    def estimate_importance(
        self,
        X: Any,
        head: Callable[[Any], Any],
        class_index: int,
        *,
        n_design: int = 32,
    ) -> np.ndarray:
        """Total Sobol index of each concept for one class logit, averaged over ``X``.

        Parameters
        ----------
        X : array-like or tensor, shape (n, n_units) or (n, channels, h, w)
            Activations of inputs of the class.
        head : callable
            The rest of the network ``h``: a float32 tensor of activations
            shaped like ``X`` (on ``X``'s device when ``X`` is a tensor) ->
            logits ``(batch, n_classes)``.
        class_index : int
            The logit to explain.
        n_design : int
            Base size of the quasi-Monte-Carlo design (``n_design *
            (n_concepts + 2)`` evaluations of ``head`` per input).

        Returns
        -------
        ndarray, shape (n_concepts,)
            Also stored in ``importances_``.
        """
        import torch

        check_is_fitted(self, "components_")
        if not callable(head):
            raise ValidationError(
                f"head must be a callable activations -> logits, got "
                f"{type(head).__name__}."
            )
        check_scalar(class_index, "class_index", kind=int, min_val=0)
        check_scalar(n_design, "n_design", kind=int, min_val=2)
        device = X.device if isinstance(X, torch.Tensor) else None
        codes = self.transform(X)
        masks = sobol_design(self.n_concepts, n_design, random_state=self.random_state)
        indices = []
        for u in codes:
            # the same mask scales a concept at every location of this input
            shape = (len(masks), self.n_concepts) + (1,) * (u.ndim - 1)
            perturbed = u[None] * masks.reshape(shape)
            acts = torch.as_tensor(
                self.inverse_transform(perturbed), dtype=torch.float32, device=device
            )
            with torch.no_grad():
                logits = head(acts)
            if logits.ndim != 2 or not 0 <= class_index < logits.shape[1]:
                raise ValidationError(
                    f"head returned shape {tuple(logits.shape)}; it must return "
                    f"(batch, n_classes) logits with class_index={class_index} "
                    "inside."
                )
            y = logits[:, class_index].double().cpu().numpy()
            indices.append(sobol_from_outputs(y, self.n_concepts).total_order)
        self.importances_ = np.mean(indices, axis=0)
        return self.importances_

    def concept_attribution_maps(self, X: Any, size: int | tuple[int, int]) -> Any:
        """Concept maps of 4-D activations upsampled (bilinear) to the input size.

        Returns
        -------
        ndarray, shape ``(n, n_concepts, *size)``
        """
        import torch

        check_is_fitted(self, "components_")
        a = _as_array(X, "X")
        if a.ndim != 4:
            raise ValidationError(
                f"concept maps need 4-D activations (n, channels, h, w), got "
                f"shape {a.shape}."
            )
        out = tuple(size) if isinstance(size, tuple | list) else (size, size)
        if len(out) != 2:
            raise ValidationError(
                f"size must be an int or (height, width), got {size!r}; pass the "
                "input images' size."
            )
        for side in out:
            check_scalar(side, "size", kind=int, min_val=1)
        maps = torch.as_tensor(self.transform(a), dtype=torch.float32)
        up = torch.nn.functional.interpolate(
            maps, size=out, mode="bilinear", align_corners=False
        )
        return up.numpy()

    def refine(
        self,
        concept: int,
        X: Any,
        X_earlier: Any,
        n_concepts: int,
        *,
        quantile: float = 0.9,
    ) -> CRAFT:
        """Sub-concepts of ``concept``: a CRAFT of an earlier layer's activations.

        The rows (inputs, or input locations for 4-D activations) whose
        coefficient for ``concept`` is in the top ``1 - quantile`` fraction
        are factored again at the earlier layer (the recursive step of CRAFT).
        ``X_earlier`` must have the same rows (same inputs, and the same
        spatial grid for 4-D activations).

        Returns
        -------
        CRAFT
            Fitted on those rows, with ``n_concepts`` sub-concepts; its
            ``rows_`` attribute holds their indices.
        """
        check_is_fitted(self, "components_")
        check_scalar(
            concept, "concept", kind=int, min_val=0, max_val=self.n_concepts - 1
        )
        check_scalar(quantile, "quantile", min_val=0.0, max_val=1.0, include_max=False)
        u = _rows(self.transform(X))
        earlier = _rows(_as_array(X_earlier, "X_earlier"))
        if earlier.shape[0] != u.shape[0]:
            raise ValidationError(
                f"X_earlier has {earlier.shape[0]} rows but X has {u.shape[0]}; pass "
                "the same inputs, with the same spatial grid for 4-D activations."
            )
        coef = u[:, concept]
        rows = np.flatnonzero(coef >= np.quantile(coef, quantile))
        rows = rows[coef[rows] > 0]
        if rows.size == 0:
            raise ValidationError(
                f"no row of X expresses concept {concept} (all its coefficients "
                "are 0), so it has no sub-concepts; refine another concept."
            )
        sub = CRAFT(
            n_concepts,
            max_iter=self.max_iter,
            tol=self.tol,
            random_state=self.random_state,
        ).fit(earlier[rows])
        sub.rows_ = rows
        return sub


def image_crops(
    images: Any, patch_size: int, *, stride: int | None = None, size: int | None = None
) -> Any:
    """Sliding square crops of images, resized back to ``size`` (CRAFT's input).

    Parameters
    ----------
    images : torch.Tensor, shape (n, channels, height, width)
        Images of one class.
    patch_size : int
        Side of the crops in pixels.
    stride : int, optional
        Step between crops; ``int(0.8 * patch_size)`` by default (the
        reference implementation's choice).
    size : int, optional
        Side the crops are resized to (bilinear); the image height by default.

    Returns
    -------
    torch.Tensor, shape (n * n_crops, channels, size, size)
        Crops of image 0 first, row by row.

    Examples
    --------
    >>> import torch
    >>> crops = image_crops(torch.zeros(2, 1, 32, 32), 16, stride=8)
    >>> tuple(crops.shape)
    (18, 1, 32, 32)
    """
    import torch

    if not isinstance(images, torch.Tensor) or images.ndim != 4:
        raise ValidationError(
            "images must be a torch.Tensor of shape (n, channels, height, width), "
            f"got {getattr(images, 'shape', type(images).__name__)}."
        )
    if not images.is_floating_point():
        raise DTypeError(
            f"images must be a floating-point tensor, got {images.dtype}; convert "
            "them with images.float()."
        )
    height, width = images.shape[-2:]
    check_scalar(
        patch_size, "patch_size", kind=int, min_val=1, max_val=min(height, width)
    )
    step = max(1, int(0.8 * patch_size)) if stride is None else stride
    check_scalar(step, "stride", kind=int, min_val=1)
    out = height if size is None else size
    check_scalar(out, "size", kind=int, min_val=1)
    patches = images.unfold(2, patch_size, step).unfold(3, patch_size, step)
    n, c, rows, cols = patches.shape[:4]
    patches = patches.permute(0, 2, 3, 1, 4, 5).reshape(-1, c, patch_size, patch_size)
    if out == patch_size:
        return patches.contiguous()
    return torch.nn.functional.interpolate(
        patches, size=(out, out), mode="bilinear", align_corners=False
    )
