import { EventEmitter } from 'node:events';
import type { EventPayload, EventTopic } from '../api/events.schema.js';
import { ImageFactsCache } from '../images/imageFacts.js';
import { ImageRecords } from '../images/imageRecords.js';
import { SnapshotStore } from '../snapshots/snapshotStore.js';
import { Store } from '../store/store.js';

/**
 * What every service of the engine shares: the store, its snapshots and image records, and the
 * events the faces subscribe to. The parts past the store are made at first use: a command pays
 * for what it touches (a run reads no image facts).
 */
export class EngineCore {
  readonly store: Store;
  private snapshotsMade?: SnapshotStore;
  private recordsMade?: ImageRecords;
  private factsMade?: ImageFactsCache;
  private readonly events = new EventEmitter();

  constructor(root: string) {
    this.store = Store.open(root);
    this.events.setMaxListeners(0);
  }

  get snapshots(): SnapshotStore {
    this.snapshotsMade ??= new SnapshotStore(this.store);
    return this.snapshotsMade;
  }

  /** The images of the store's index, parsed once per process. */
  get records(): ImageRecords {
    this.recordsMade ??= new ImageRecords(this.store);
    return this.recordsMade;
  }

  /** What `images` lists, cached across processes (image-facts.json). */
  get imageFacts(): ImageFactsCache {
    this.factsMade ??= new ImageFactsCache(this.store, this.records);
    return this.factsMade;
  }

  on<T extends EventTopic>(topic: T, listener: (payload: EventPayload<T>) => void): () => void {
    this.events.on(topic, listener);
    return () => this.events.off(topic, listener);
  }

  emit<T extends EventTopic>(topic: T, payload: EventPayload<T>): void {
    this.events.emit(topic, payload);
  }
}
