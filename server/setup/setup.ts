/**
 * A new shop's first hour: the steps between `npm start` and a working shop, each checked against
 * what the database holds (not a flag someone ticks): the shop's own profile, its staff, its
 * products, real couriers, a first order. The console shows them to whoever sets the shop up.
 */
import { and, count, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders, products, staff } from '../../db/schema';
import type { CompiledShop } from '../../definitions/types';
import type { DefinitionsStore } from '../shop/definitions';

export type SetupStepId = 'profile' | 'staff' | 'products' | 'couriers' | 'first-order';

export interface SetupStep {
  id: SetupStepId;
  title: string;
  done: boolean;
  /** What was found, or what is missing, in words for the shop owner. */
  detail: string;
  /** The console page where the step is done. */
  href: string;
}

export interface SetupChecklist {
  done: boolean;
  completed: number;
  total: number;
  steps: SetupStep[];
}

/** The staff member `npm start` creates for the first admin token: not one of the shop's own people. */
const BOOTSTRAP_STAFF_ID = 'admin';
/** The shipped shop.yaml's name: a shop that still runs it has not made the shop its own yet. */
const SHIPPED_SHOP = 'default-shop';

export function createSetupChecklist(deps: { db: Db; definitions: DefinitionsStore; couriers: 'simulator' | 'live' }) {
  return {
    async read(): Promise<SetupChecklist> {
      const [shop, [people], [catalogue], [firstOrders]] = await Promise.all([
        deps.definitions.activeOfKind<CompiledShop>('Shop'),
        deps.db
          .select({ n: count() })
          .from(staff)
          .where(and(eq(staff.active, true), ne(staff.id, BOOTSTRAP_STAFF_ID))),
        deps.db.select({ n: count() }).from(products).where(eq(products.active, true)),
        deps.db.select({ n: count() }).from(orders),
      ]);
      const staffCount = Number(people?.n ?? 0);
      const productCount = Number(catalogue?.n ?? 0);
      const orderCount = Number(firstOrders?.n ?? 0);
      // The shipped `simulator` courier is for development: not a courier that delivers.
      const enabled = Object.values(shop?.compiled.couriers ?? {}).filter((c) => c.enabled && c.api !== 'simulator');
      const ownShop = Boolean(shop && (shop.name !== SHIPPED_SHOP || shop.version > 1));
      const steps: SetupStep[] = [
        {
          id: 'profile',
          title: 'Hồ sơ cửa hàng và quy mô',
          done: ownShop,
          detail: !shop
            ? 'Chưa có định nghĩa cửa hàng nào được kích hoạt.'
            : ownShop
              ? `Cửa hàng “${shop.compiled.profile.name}” (${shop.name} phiên bản ${shop.version}).`
              : 'Cửa hàng vẫn dùng cấu hình mẫu: chọn quy mô (nhỏ, vừa, lớn) hoặc sửa shop.yaml với tên, giờ làm việc, kênh bán của bạn.',
          href: '/definitions',
        },
        {
          id: 'staff',
          title: 'Thêm nhân viên',
          done: staffCount > 0,
          detail: staffCount > 0 ? `${staffCount} nhân viên đang làm việc.` : 'Chưa có nhân viên nào ngoài tài khoản quản trị đầu tiên.',
          href: '/staff',
        },
        {
          id: 'products',
          title: 'Nhập sản phẩm và tồn kho',
          done: productCount > 0,
          detail:
            productCount > 0
              ? `${productCount} sản phẩm đang bán.`
              : 'Danh mục sản phẩm còn trống: thêm sản phẩm (mã SKU, mã vạch, giá) và tồn kho.',
          href: '/products',
        },
        {
          id: 'couriers',
          title: 'Kết nối hãng vận chuyển',
          // Live mode refuses to start while an enabled courier lacks a setting: running live, they are all set.
          done: deps.couriers === 'live' && enabled.length > 0,
          detail:
            enabled.length === 0
              ? 'Chưa bật hãng vận chuyển nào trong shop.yaml.'
              : deps.couriers === 'live'
                ? `Đang giao thật qua ${enabled.map((c) => c.title).join(', ')}.`
                : `Vận đơn đang gửi cho bộ giả lập: đặt COURIERS=live cùng khóa API của ${enabled.map((c) => c.title).join(', ')} để giao thật.`,
          href: '/definitions',
        },
        {
          id: 'first-order',
          title: 'Đơn hàng đầu tiên',
          done: orderCount > 0,
          detail:
            orderCount > 0
              ? `${orderCount} đơn hàng đã vào hệ thống.`
              : 'Chưa có đơn nào: tạo một khách tiềm năng hoặc nối kênh bán (Facebook, Zalo, website).',
          href: '/orders',
        },
      ];
      const completed = steps.filter((s) => s.done).length;
      return { done: completed === steps.length, completed, total: steps.length, steps };
    },
  };
}

export type SetupChecklistStore = ReturnType<typeof createSetupChecklist>;
