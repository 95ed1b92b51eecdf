/**
 * What the demo shop is made of: its people (one or more of every role the shipped shop.yaml
 * defines), its products with barcodes and opening stock, and the customers who write in.
 * Plain data: the seeder (shop-life.ts) sends it through the public API.
 */
import { mulberry32 } from '../../definitions/simulate/prng';

export interface DemoPerson {
  key: string;
  name: string;
  roles: string[];
  channels?: string[];
  phone: string;
}

/** A small-to-medium shop: the owner, a manager, sales with a lead, CSKH, warehouse, accounting, marketing, the store. */
export const DEMO_STAFF: readonly DemoPerson[] = [
  { key: 'owner', name: 'Nguyễn Thị Chủ Shop', roles: ['admin'], phone: '0901000001' },
  { key: 'manager', name: 'Trần Văn Quản Lý', roles: ['manager'], phone: '0901000002' },
  { key: 'sales-lead', name: 'Lê Thị Trưởng Nhóm', roles: ['sales-lead'], phone: '0901000003' },
  { key: 'sales-1', name: 'Phạm Minh Anh', roles: ['sales'], channels: ['facebook', 'zalo', 'website'], phone: '0901000004' },
  { key: 'sales-2', name: 'Hoàng Thu Trang', roles: ['sales'], channels: ['tiktok', 'shopee', 'facebook'], phone: '0901000005' },
  { key: 'store', name: 'Vũ Đức Cửa Hàng', roles: ['store-sales'], channels: ['store'], phone: '0901000006' },
  { key: 'marketing', name: 'Đặng Ngọc Tiếp Thị', roles: ['marketing'], phone: '0901000007' },
  { key: 'cskh', name: 'Bùi Thị Chăm Sóc', roles: ['cskh'], phone: '0901000008' },
  { key: 'warehouse-lead', name: 'Đỗ Văn Trưởng Kho', roles: ['warehouse-lead'], phone: '0901000009' },
  { key: 'warehouse', name: 'Ngô Văn Đóng Gói', roles: ['warehouse'], phone: '0901000010' },
  { key: 'accounting', name: 'Lý Thị Kế Toán', roles: ['accounting'], phone: '0901000011' },
];

export interface DemoProduct {
  sku: string;
  name: string;
  barcode: string;
  price: number;
  stock: number;
  lowStockThreshold: number;
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    sku: 'AO-THUN-TRANG-M',
    name: 'Áo thun cotton trắng — size M',
    barcode: '8936000000017',
    price: 159_000,
    stock: 120,
    lowStockThreshold: 10,
  },
  { sku: 'AO-THUN-DEN-L', name: 'Áo thun cotton đen — size L', barcode: '8936000000024', price: 159_000, stock: 90, lowStockThreshold: 10 },
  { sku: 'QUAN-JEAN-30', name: 'Quần jean xanh ống đứng — 30', barcode: '8936000000031', price: 429_000, stock: 40, lowStockThreshold: 5 },
  { sku: 'VAY-HOA-S', name: 'Váy hoa nhí dáng xòe — size S', barcode: '8936000000048', price: 359_000, stock: 35, lowStockThreshold: 5 },
  { sku: 'AO-KHOAC-GIO', name: 'Áo khoác gió hai lớp', barcode: '8936000000055', price: 549_000, stock: 25, lowStockThreshold: 5 },
  { sku: 'MU-LUOI-TRAI', name: 'Mũ lưỡi trai thêu chữ', barcode: '8936000000062', price: 99_000, stock: 200, lowStockThreshold: 20 },
  { sku: 'TUI-TOTE', name: 'Túi tote vải canvas', barcode: '8936000000079', price: 129_000, stock: 60, lowStockThreshold: 10 },
  { sku: 'GIAY-SNEAKER-40', name: 'Giày sneaker trắng — 40', barcode: '8936000000086', price: 890_000, stock: 15, lowStockThreshold: 3 },
];

/**
 * Addresses: ward and province as after the 2025 reform, with the former district too, since
 * GHTK's order API still asks for one (`district`, "Vui lòng nhập tên quận/huyện…"). The big
 * cities go by GHN, the rest by GHTK (the shipped ship stage's courier rules).
 */
const ADDRESSES = [
  { street: '12 Lê Lợi', ward: 'Phường Bến Thành', district: 'Quận 1', province: 'TP. Hồ Chí Minh' },
  { street: '45 Nguyễn Trãi', ward: 'Phường Thanh Xuân', district: 'Quận Thanh Xuân', province: 'Hà Nội' },
  { street: '8 Trần Phú', ward: 'Phường Hải Châu', district: 'Quận Hải Châu', province: 'Đà Nẵng' },
  { street: '210 Hùng Vương', ward: 'Phường Ninh Kiều', district: 'Quận Ninh Kiều', province: 'Cần Thơ' },
  { street: '33 Lạch Tray', ward: 'Phường Lê Chân', district: 'Quận Lê Chân', province: 'Hải Phòng' },
  { street: '5 Phan Đình Phùng', ward: 'Phường Thủ Dầu Một', district: 'Thành phố Thủ Dầu Một', province: 'TP. Hồ Chí Minh' },
  { street: '77 Lý Thường Kiệt', ward: 'Phường Thuận Hóa', district: 'Quận Thuận Hóa', province: 'Huế' },
  { street: '19 Quang Trung', ward: 'Phường Vinh Phú', district: 'Thành phố Vinh', province: 'Nghệ An' },
] as const;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE = ['Thị', 'Văn', 'Minh', 'Ngọc', 'Thu', 'Quốc', 'Thanh', 'Hải'];
const GIVEN = ['Lan', 'Hùng', 'Mai', 'Tuấn', 'Hương', 'Dũng', 'Linh', 'Nam', 'Thảo', 'Phúc', 'Hà', 'Khoa', 'Yến', 'Sơn'];

export const DEMO_CHANNELS = ['facebook', 'tiktok', 'zalo', 'shopee', 'website', 'facebook'] as const;
const CAMPAIGNS = ['sale-cuoi-tuan', 'livestream-toi-thu-6', 'quang-cao-ao-thun', undefined] as const;
const NOTES = ['Khách hỏi còn size không', 'Khách muốn giao giờ hành chính', 'Khách xem livestream, muốn mua combo', 'Khách cũ giới thiệu'];

/** A deterministic random number generator (the simulator's mulberry32): the same demo for everyone. */
export const seededRandom = mulberry32;

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

export interface DemoCustomer {
  name: string;
  phone: string;
  address: { street: string; ward: string; district: string; province: string };
}

/** The n-th customer who writes in (n ≥ 0): a name, a phone written the way customers write it, an address. */
export function demoCustomer(n: number): DemoCustomer {
  const rnd = seededRandom(1000 + n);
  const name = `${pick(rnd, FAMILY)} ${pick(rnd, MIDDLE)} ${pick(rnd, GIVEN)}`;
  const digits = String(10_000_000 + ((n * 7919) % 89_999_999)).padStart(8, '0');
  return { name, phone: `09${digits}`, address: pick(rnd, ADDRESSES) };
}

export interface DemoLead {
  channel: string;
  campaign?: string;
  note: string;
}

export function demoLead(n: number, courierScenario?: string): DemoLead {
  const rnd = seededRandom(5000 + n);
  const campaign = pick(rnd, CAMPAIGNS);
  const base = pick(rnd, NOTES);
  return {
    channel: pick(rnd, DEMO_CHANNELS),
    ...(campaign ? { campaign } : {}),
    // The courier simulator reads `[sim:<scenario>]` in the order's note: what the parcel will do.
    note: courierScenario ? `${base} [sim:${courierScenario}]` : base,
  };
}

/** One to three lines from the catalogue, priced from it. */
export function demoItems(n: number): Array<{ sku: string; name: string; qty: number; price: number }> {
  const rnd = seededRandom(9000 + n);
  const count = 1 + Math.floor(rnd() * 3);
  const chosen = new Map<string, { sku: string; name: string; qty: number; price: number }>();
  for (let i = 0; i < count; i++) {
    const p = pick(rnd, DEMO_PRODUCTS);
    const line = chosen.get(p.sku) ?? { sku: p.sku, name: p.name, qty: 0, price: p.price };
    line.qty += 1 + (rnd() < 0.2 ? 1 : 0);
    chosen.set(p.sku, line);
  }
  return [...chosen.values()];
}
