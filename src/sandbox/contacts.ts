import { badRequest, conflict, forbidden, notFound } from "./errors.js";
import { newId } from "./ids.js";
import type { ContactEvent } from "./events.js";
import type { ActorRecord, ContactRecord, ContactRequestRecord, StoreAccess } from "./records.js";

const HANDLE = /^@?[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/i;

/** Contacts and contact requests; each change is told as an event (Band tells agents on their contacts topic). */
export class ContactBook {
  readonly requests = new Map<string, ContactRequestRecord>();
  readonly #contacts = new Map<string, ContactRecord[]>();

  constructor(
    private readonly store: StoreAccess,
    private readonly emit: (event: ContactEvent) => void,
  ) {}

  contactsOf(ownerId: string): ContactRecord[] {
    return this.#contacts.get(ownerId) ?? [];
  }

  isContact(ownerId: string, otherId: string): boolean {
    return this.contactsOf(ownerId).some((c) => c.contactId === otherId);
  }

  received(ownerId: string): ContactRequestRecord[] {
    return [...this.requests.values()].filter((r) => r.recipientId === ownerId);
  }

  sent(ownerId: string): ContactRequestRecord[] {
    return [...this.requests.values()].filter((r) => r.requesterId === ownerId);
  }

  /** The actor a handle names: 400 when it cannot be a handle, 404 when nobody has it. */
  resolve(handle: unknown): ActorRecord {
    if (typeof handle !== "string" || !HANDLE.test(handle.trim())) throw badRequest("Invalid handle format", "invalid_handle");
    const actor = this.store.actorByHandle(handle);
    if (!actor) throw notFound("Handle not found");
    return actor;
  }

  /**
   * Sends a request to `handle`. When the other side already asked us (`autoAccept`, the agent API),
   * that request is approved instead and both become contacts.
   */
  request(from: ActorRecord, handle: unknown, message: string | null, autoAccept: boolean): ContactRequestRecord {
    const to = this.resolve(handle);
    if (to.id === from.id) throw conflict("Cannot add yourself as a contact", "self_contact");
    if (this.isContact(from.id, to.id)) throw conflict("Already contacts", "already_contacts");
    const pending = (requester: string, recipient: string) =>
      [...this.requests.values()].find((r) => r.status === "pending" && r.requesterId === requester && r.recipientId === recipient);
    if (pending(from.id, to.id)) throw conflict("A contact request is already pending", "request_pending");
    const inverse = pending(to.id, from.id);
    if (inverse) {
      if (!autoAccept) throw conflict("This contact has already sent you a request", "request_pending");
      return this.respond(inverse, "approved");
    }
    const request: ContactRequestRecord = {
      id: newId(),
      requesterId: from.id,
      recipientId: to.id,
      message,
      status: "pending",
      insertedAt: this.store.clock.now(),
      respondedAt: null,
    };
    this.requests.set(request.id, request);
    this.emit({ type: "contact_requested", request, from, to });
    return request;
  }

  /**
   * A request `actor` may act on: approve/reject only what it received, cancel only what it sent.
   * 404 when unknown, 403 when it is someone else's, 409 when no longer pending.
   */
  actionable(actor: ActorRecord, requestId: string, action: "approve" | "reject" | "cancel"): ContactRequestRecord {
    const request = this.requests.get(requestId);
    if (!request || (request.requesterId !== actor.id && request.recipientId !== actor.id)) throw notFound("Contact request not found");
    const own = action === "cancel" ? request.requesterId === actor.id : request.recipientId === actor.id;
    if (!own) throw forbidden(`Not authorized to ${action} this request`);
    if (request.status !== "pending") throw conflict("Request already resolved", "already_resolved");
    return request;
  }

  respond(request: ContactRequestRecord, status: "approved" | "rejected" | "cancelled"): ContactRequestRecord {
    request.status = status;
    request.respondedAt = this.store.clock.now();
    const requester = this.store.requireActor(request.requesterId);
    const recipient = this.store.requireActor(request.recipientId);
    this.emit({ type: "contact_request_resolved", request, requester, recipient });
    if (status === "approved") {
      this.#link(requester, recipient);
      this.#link(recipient, requester);
    }
    return request;
  }

  /** Removal is bidirectional. `contactRef` is a handle or one of the owner's contact record ids. */
  remove(owner: ActorRecord, ref: { handle?: unknown; contactId?: unknown }): void {
    if (ref.handle === undefined && ref.contactId === undefined) throw badRequest("Provide handle or contact_id");
    const mine = this.contactsOf(owner.id);
    let record: ContactRecord | undefined;
    if (typeof ref.contactId === "string") record = mine.find((c) => c.id === ref.contactId || c.contactId === ref.contactId);
    else if (typeof ref.handle === "string") {
      const other = this.store.actorByHandle(ref.handle);
      record = other && mine.find((c) => c.contactId === other.id);
    }
    if (!record) throw notFound("Contact not found");
    const other = this.store.requireActor(record.contactId);
    this.#unlink(owner, other.id);
    this.#unlink(other, owner.id);
  }

  #link(owner: ActorRecord, other: ActorRecord): void {
    const record: ContactRecord = { id: newId(), ownerId: owner.id, contactId: other.id, insertedAt: this.store.clock.now() };
    let list = this.#contacts.get(owner.id);
    if (!list) this.#contacts.set(owner.id, (list = []));
    list.push(record);
    this.emit({ type: "contact_added", owner, other, record });
  }

  #unlink(owner: ActorRecord, otherId: string): void {
    const list = this.contactsOf(owner.id);
    const record = list.find((c) => c.contactId === otherId);
    if (!record) return;
    this.#contacts.set(
      owner.id,
      list.filter((c) => c !== record),
    );
    this.emit({ type: "contact_removed", owner, record });
  }
}
