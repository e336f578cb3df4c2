/**
 * The part of jsfive 0.4.2 (https://github.com/usnistgov/jsfive, a port of pyfive) that src/keras/hdf5.ts
 * uses. jsfive ships no typings. Its errors are Error objects or plain strings.
 */
declare module 'jsfive' {
  export class Group {
    readonly name: string;
    /** Names of the group's members (links). */
    readonly keys: string[];
    /** A member by relative path ("layers/lstm/cell/vars/0"); throws when it is missing. */
    get(path: string): Group | Dataset | null;
  }

  export class File extends Group {
    /** Parses the superblock and the root group of a whole file held in memory. */
    constructor(buffer: ArrayBuffer, filename: string);
  }

  export class Dataset {
    readonly name: string;
    readonly shape: number[];
    /** NumPy-style type string such as '<f4', or an array for compound and variable-length types. */
    readonly dtype: string | unknown[];
    /** Every element, row-major, as plain numbers. */
    readonly value: unknown[];
    /** jsfive's (pyfive's) DataObjects, internal: how the dataset is stored. */
    readonly _dataobjects: {
      /** The chunk shape of chunked storage; null for contiguous (or compact) storage. */
      readonly chunks: number[] | null;
      /** The filters (gzip, shuffle...) applied to each chunk; null when there are none. */
      readonly filter_pipeline: unknown[] | null;
    };
  }
}
