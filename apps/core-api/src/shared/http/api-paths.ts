/** Phorest's third-party API base path; an integration changes only host and credentials. */
export const API_ROOT = 'third-party-api-server/api/business';
export const BUSINESS_PATH = `${API_ROOT}/:businessId`;
export const BRANCH_PATH = `${BUSINESS_PATH}/branch/:branchId`;
