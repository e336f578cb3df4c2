/** The golden cases of models/keras-models/ (scripts/golden-models.ts, shared with scripts/kind-errors.ts). */
export { goldenCaseNames, KERAS_MODELS_DIR, loadGoldenCase } from '../../scripts/golden-models';
