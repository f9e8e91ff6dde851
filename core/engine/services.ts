import { BuildsService } from './builds.js';
import { ContainersService, type ContainersServiceOptions } from './containers.js';
import type { EngineCore } from './engineCore.js';
import { ImagesService } from './images.js';
import { NetworksService } from './networks.js';
import { StoreService } from './store.js';
import { TransfersService } from './transfers.js';
import { VolumesService } from './volumes.js';

/**
 * The engine's services, each made the first time something asks for it (issue 15's split of the
 * Engine; issue 17's run that loads only what it uses): `new Engine()` makes none, a `run` the
 * containers service and what it reaches of the images. A service reaches another only through here.
 */
export class Services {
  private imagesMade?: ImagesService;
  private transfersMade?: TransfersService;
  private containersMade?: ContainersService;
  private volumesMade?: VolumesService;
  private networksMade?: NetworksService;
  private buildsMade?: BuildsService;
  private storeMade?: StoreService;

  constructor(
    readonly core: EngineCore,
    private readonly options: {
      containers: ContainersServiceOptions;
      transfers: ConstructorParameters<typeof TransfersService>[1];
    },
  ) {}

  /** Local images: list, inspect, tag, remove, prune, load, save, their layers and DAG. */
  get images(): ImagesService {
    this.imagesMade ??= new ImagesService(this);
    return this.imagesMade;
  }

  /** Pulls, pushes, registry logins and catalogs. */
  get transfers(): TransfersService {
    this.transfersMade ??= new TransfersService(this, this.options.transfers);
    return this.transfersMade;
  }

  /** The runtime and its containers, terminal sessions included. */
  get containers(): ContainersService {
    this.containersMade ??= new ContainersService(this, this.options.containers);
    return this.containersMade;
  }

  get volumes(): VolumesService {
    this.volumesMade ??= new VolumesService(this);
    return this.volumesMade;
  }

  get networks(): NetworksService {
    this.networksMade ??= new NetworksService(this);
    return this.networksMade;
  }

  /** Dockerfile builds, their cache and their history. */
  get builds(): BuildsService {
    this.buildsMade ??= new BuildsService(this);
    return this.buildsMade;
  }

  /** gc, fsck and disk usage of the whole store. */
  get store(): StoreService {
    this.storeMade ??= new StoreService(this);
    return this.storeMade;
  }

  /** The services made so far (close ends only those). */
  get made(): { containers?: ContainersService; transfers?: TransfersService } {
    return {
      ...(this.containersMade ? { containers: this.containersMade } : {}),
      ...(this.transfersMade ? { transfers: this.transfersMade } : {}),
    };
  }
}
