import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashPassword } from '../modules/auth/password';
import type { Role } from '../modules/auth/principal';
import { CreateBusinessUseCase } from '../modules/business/use-cases/create-business/create-business.use-case';
import { newId } from '../shared/ids';
import type { CoreApiHarness } from './core-api-harness';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A logged-in API caller: `get('/branch/…')` paths are relative to its business. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly businessId: string,
    readonly branchId: string,
    readonly authorization: string | undefined,
  ) {}

  get business(): string {
    return `/third-party-api-server/api/business/${this.businessId}`;
  }

  get branch(): string {
    return `${this.business}/branch/${this.branchId}`;
  }

  /** The same caller against another copy of the service. */
  at(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.businessId, this.branchId, this.authorization);
  }

  as(authorization: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, this.businessId, this.branchId, authorization);
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.authorization ? { authorization: this.authorization } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, headers?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  put<T = any>(path: string, body: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', path, body, headers);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

export function basicAuth(email: string, password: string): string {
  return `Basic ${Buffer.from(`global/${email}:${password}`).toString('base64')}`;
}

/**
 * Creates a fresh business (one branch in Europe/Dublin, IE, EUR) with its owner and returns
 * a client logged in as that owner.
 */
export async function createBusiness(api: CoreApiHarness, options: { timeZone?: string; country?: string; currency?: string } = {}): Promise<ApiClient> {
  const tag = randomBytes(4).toString('hex');
  const password = `pw-${tag}-secret`;
  const email = `owner-${tag}@example.test`;
  const created = await api.app.get(CreateBusinessUseCase).execute({
    name: `Salon ${tag}`,
    owner: { email, password },
    branch: {
      name: `Branch ${tag}`,
      slug: `salon-${tag}`,
      timeZone: options.timeZone ?? 'Europe/Dublin',
      country: options.country ?? 'IE',
      currency: options.currency ?? 'EUR',
    },
  });
  return new ApiClient(api.baseUrl, created.businessId, created.branchId, basicAuth(email, password));
}

/** Adds a user with the given role to the client's business and returns a client logged in as them. */
export async function addUser(api: CoreApiHarness, owner: ApiClient, role: Role): Promise<ApiClient> {
  const tag = randomBytes(4).toString('hex');
  const email = `${role.toLowerCase()}-${tag}@example.test`;
  const password = `pw-${tag}-secret`;
  await api.app.get(DataSource).query(
    "INSERT INTO api_user (id, business_id, email, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NOW(3), NOW(3))",
    [newId(), owner.businessId, email, await hashPassword(password), role],
  );
  return owner.as(basicAuth(email, password));
}
