// The shapes the portal pushes (PROTOCOL.md §1); fields the page does not use are left out.

export interface User { id: string; email: string; name?: string; role?: string; tenants?: string[] }
export interface Tenant { id: string; name: string; status?: string }
export interface Stats {
  patients?: number; claims?: number; pendingClaims?: number; approvedClaims?: number;
  deniedClaims?: number; paidClaims?: number; totalBilled?: number; totalPaid?: number; updatedAt?: string;
  [key: string]: unknown;
}
export interface Activity { id?: string; type?: string; message?: string; timestamp?: string }
export interface Patient {
  id: string; firstName?: string; lastName?: string; dateOfBirth?: string; mrn?: string;
  email?: string; phone?: string; gender?: string; status?: string; lastVisit?: string; tenantId?: string;
}
export interface Claim {
  id: string; patientId?: string; serviceDate?: string; amount?: number; status?: string;
  description?: string; provider?: string; updatedAt?: string;
}
export interface Insurance { id: string; provider?: string; policyNumber?: string; groupNumber?: string; type?: string; status?: string }
export interface LiveMeta { seq?: number }
export interface ErrorPush { code: string; message: string; requestId?: string; method?: string }
export interface ConnectionStatus { nats?: "ok" | "degraded"; draining?: boolean }

export function patientName(p: Patient): string {
  return [p.firstName, p.lastName].filter(Boolean).join(" ") || p.id;
}
